using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Testing.Scripts;

namespace Coordinator.Testing.Tests;

/// <summary>What simulated workers report makes the supervisor's weighted means give back the scripted values exactly.</summary>
public sealed class ExactSharesTests
{
    private static WorkerReports.EpochTrained Report(int rank, int workers, EpochMetrics m)
    {
        var (train, validation) = ExactShares.Sums(m, rank, workers, nanLoss: false);
        return new WorkerReports.EpochTrained(rank, 0, 1, train, validation, 0, "h", 1);
    }

    [Fact]
    public void Further_metrics_come_out_as_scripted_under_their_names()
    {
        var metrics = new EpochMetrics(0.5, 0.75, 0.625, 0.5) { Others = new Dictionary<string, double> { ["top_3_accuracy"] = 0.9, ["val_top_3_accuracy"] = 0.85 } };
        for (var workers = 1; workers <= 5; workers++)
        {
            var logs = EpochAggregation.Logs(Enumerable.Range(0, workers).Select(r => Report(r, workers, metrics)).ToList());
            Assert.Equal(["loss", "accuracy", "top_3_accuracy", "val_loss", "val_accuracy", "val_top_3_accuracy"], logs.Keys);
            Assert.Equal((0.9, 0.85), (logs["top_3_accuracy"], logs["val_top_3_accuracy"]));
        }
    }

    [Fact]
    public void Epoch_logs_come_out_exactly_as_scripted_for_any_number_of_workers()
    {
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var workers = 1 + i % 7;
            var loss = Math.Pow(10, random.NextDouble() * 8 - 5) * random.NextDouble();
            var accuracy = Math.Round(random.NextDouble(), random.Next(7));
            var metrics = new EpochMetrics(loss, accuracy, loss * 1.1, Math.Round(random.NextDouble(), 3));
            var logs = EpochAggregation.Logs(Enumerable.Range(0, workers).Select(r => Report(r, workers, metrics)).ToList());

            Assert.Equal((metrics.Loss, metrics.Accuracy, metrics.ValLoss, metrics.ValAccuracy),
                (logs["loss"], (double?)logs["accuracy"], (double?)logs["val_loss"], (double?)logs["val_accuracy"]));
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_losses_come_out_as_they_are(double loss)
    {
        var logs = EpochAggregation.Logs(Enumerable.Range(0, 3).Select(r => Report(r, 3, new EpochMetrics(loss))).ToList());
        Assert.Equal(loss, logs["loss"]);
        Assert.Equal(0, logs["accuracy"]); // no accuracy scripted: nothing counted correct
        Assert.False(logs.ContainsKey("val_loss"));
    }

    /// <summary>Exact for running means as Keras logs them; a script whose running mean jumps by orders of magnitude
    /// from one batch to the next (no real run's does) comes out within 1e-12 of it.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Running_batch_means_come_out_exactly_as_scripted(bool jumpy)
    {
        var random = new Random(11);
        for (var run = 0; run < 200; run++)
        {
            var workers = 1 + run % 5;
            var (sum, count, batchSum) = (0.0, 0L, 0.0);
            for (var step = 0; step < 50; step++)
            {
                // Keras logs the running mean of the batch losses; a jumpy script may set any value at all.
                batchSum += 2.0 / (1 + run % 7) + random.NextDouble() * 0.3;
                var mean = jumpy ? Math.Pow(10, random.NextDouble() * 6 - 3) : batchSum / (step + 1);
                // As StepLosses: the step's reports summed (rank 0's, then zeros over 1 sample each), added to the running sums.
                var (stepSum, stepCount) = ExactShares.StepFor(sum, count, mean, workers - 1);
                (sum, count) = (sum + stepSum, count + stepCount + workers - 1);
                if (jumpy) Assert.Equal(mean, sum / count, 1e-12 * mean);
                else Assert.Equal(mean, sum / count);
            }
        }
    }

    [Theory]
    [InlineData(0.9123, 9123, 10_000)]
    [InlineData(0.5, 5, 10)]
    [InlineData(1e-5, 1, 100_000)]
    [InlineData(1, 1, 1)]
    [InlineData(0, 0, 1)]
    [InlineData(0.12345678, 123457, 1_000_000)] // more than 6 decimals: rounded to 6
    public void Accuracies_become_decimal_fractions(double accuracy, long p, long q) =>
        Assert.Equal((p, q), ExactShares.Fraction(accuracy));
}
