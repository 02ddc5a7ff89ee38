using System.Diagnostics;
using Coordinator.Core.Data;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;
using Xunit.Abstractions;
using static Coordinator.Training.Tests.TestTorch;

namespace Coordinator.Training.Tests;

public sealed class DigitsSmokeTests(ITestOutputHelper output)
{
    private static readonly string DigitsPath = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    [Fact]
    public void An_mlp_trained_five_epochs_on_digits_exceeds_90_percent_validation_accuracy()
    {
        Dataset all = TabularCsvLoader.Load(DigitsPath, new CsvFormat(HeaderLines: 0, Scale: 16));
        Assert.Equal((1797, 64, 10), (all.Count, all.FeatureCount, all.ClassCount));
        DataSplit data = DataSplitter.Split(all, 0.2, seed: 42);
        var factory = new TorchReplicaFactory(
            data,
            new ModelSettings([64], Activation.Relu),
            new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 0.05, Momentum: 0.9),
            seed: 42,
            threads: Threads);
        using TorchReplica replica = factory.CreateReplica(0);
        var plan = new ShardPlan(data.Train.Count, globalBatch: 32, workers: 1, seed: 42);
        int[] validation = ShardPlan.Slice(data.Validation.Count, worker: 0, workers: 1);

        var clock = Stopwatch.StartNew();
        double before = Accuracy(replica.Evaluate(validation, validation: true));
        for (int epoch = 1; epoch <= 5; epoch++)
        {
            int[] order = plan.EpochOrder(epoch);
            double lossSum = 0;
            for (int step = 0; step < plan.StepsPerEpoch; step++)
            {
                lossSum += replica.ComputeGradients(plan.Batch(order, step, worker: 0)).Sum("loss");
                replica.Step(0.05);
            }

            BatchResult result = replica.Evaluate(validation, validation: true);
            output.WriteLine($"epoch {epoch}: train loss {lossSum / data.Train.Count:F4}, validation loss {result.Sum("loss") / result.Count:F4}, accuracy {Accuracy(result):P1}");
        }

        double accuracy = Accuracy(replica.Evaluate(validation, validation: true));
        output.WriteLine($"accuracy {before:P1} -> {accuracy:P1} in {clock.ElapsedMilliseconds} ms");
        Assert.True(accuracy > 0.9, $"validation accuracy {accuracy:P1}");
        Assert.True(before < 0.5, $"an untrained model should not already score {before:P1}");
    }

    private static double Accuracy(BatchResult result) => result.Sum("accuracy") / result.Count;
}
