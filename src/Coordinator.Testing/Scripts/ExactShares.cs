using System.Globalization;
using Coordinator.Core.Metrics;

namespace Coordinator.Testing.Scripts;

/// <summary>
/// Chooses what each simulated worker reports so that the supervisor's sample-weighted means
/// (EpochAggregation for epochs and the final evaluation, StepLosses for batches) give back the
/// scripted values exactly in double arithmetic. Every worker reports the same sample count and the
/// same number of correct samples; the worker of rank 0 carries the whole loss sum and the others
/// report 0, so the sum comes out the same in any order. An accuracy is reproduced exactly when it
/// has at most 6 decimals (as a fraction p/10^d: the count is a multiple of 10^d), otherwise to 6 decimals.
/// For a batch's running mean rank 0 also chooses the step's sample count (see <see cref="StepFor"/>).
/// </summary>
internal static class ExactShares
{
    private const int MaxDecimals = 6;

    /// <summary>What each worker reports for a (loss, accuracy) pair: the count and correct count every
    /// worker reports, and the loss sum rank 0 reports.</summary>
    internal sealed record Share(int Count, int Correct, double LossSum);

    /// <summary>What the worker of <paramref name="rank"/> reports for an epoch's scripted logs, by metric name:
    /// loss and accuracy (and their validation twins when the script has a val_loss), then each further metric
    /// (rank 0 carries its sum over one sample per worker). <paramref name="nanLoss"/>: the training loss sum is NaN.</summary>
    public static (IReadOnlyList<MetricSum> Train, IReadOnlyList<MetricSum> Validation) Sums(EpochMetrics m, int rank, int workers, bool nanLoss)
    {
        var share = For(m.Loss, m.Accuracy, workers);
        var lossSum = nanLoss ? double.NaN : rank == 0 ? share.LossSum : 0;
        List<MetricSum> train = [new("loss", lossSum, share.Count), new("accuracy", share.Correct, share.Count)];
        List<MetricSum> validation = [];
        if (m.ValLoss is { } valLoss)
        {
            var val = For(valLoss, m.ValAccuracy, workers);
            validation.AddRange([new("loss", rank == 0 ? val.LossSum : 0, val.Count), new("accuracy", val.Correct, val.Count)]);
        }
        foreach (var (name, value) in m.Others)
        {
            var (list, metric) = name.StartsWith(MetricDefinition.ValidationPrefix, StringComparison.Ordinal)
                ? (validation, name[MetricDefinition.ValidationPrefix.Length..]) : (train, name);
            list.Add(new MetricSum(metric, rank == 0 ? SumFor(value, workers, out _) : 0, 1));
        }
        return (train, validation);
    }

    public static Share For(double loss, double? accuracy, int workers)
    {
        var (p, q) = Fraction(accuracy ?? 0);
        // Counts are multiples of q; look for one whose loss sum divides back to the loss exactly.
        for (long m = 1; m <= 64 && q * m * workers <= int.MaxValue; m++)
        {
            var sum = SumFor(loss, q * m * workers, out var exact);
            if (exact) return new Share((int)(q * m), (int)(p * m), sum);
        }
        return new Share((int)q, (int)p, SumFor(loss, q * workers, out _)); // within a unit in the last place
    }

    /// <summary>A sum s with s / count == mean in double arithmetic (exact is false if none was found near mean x count).</summary>
    public static double SumFor(double mean, long count, out bool exact)
    {
        exact = true;
        if (!double.IsFinite(mean)) return mean;
        var guess = mean * count;
        if (guess / count == mean) return guess;
        var (up, down) = (guess, guess);
        for (var i = 0; i < 64; i++)
        {
            up = Math.BitIncrement(up);
            if (up / count == mean) return up;
            down = Math.BitDecrement(down);
            if (down / count == mean) return down;
        }
        exact = false;
        return guess;
    }

    /// <summary>
    /// What rank 0 reports for a step (its loss sum and sample count; every other worker reports a loss sum of 0
    /// over 1 sample) so that the supervisor's running mean, its running sum <paramref name="sumSoFar"/> over
    /// <paramref name="countSoFar"/> samples plus the step's, becomes <paramref name="mean"/>. The count is chosen
    /// so that the new running sum is reached from the old one by one exact addition: then the mean is exact.
    /// </summary>
    public static (double LossSum, int Count) StepFor(double sumSoFar, long countSoFar, double mean, int otherWorkers)
    {
        if (!double.IsFinite(sumSoFar)) return (0, 1); // the running mean stays NaN or infinite, as Keras's does
        if (!double.IsFinite(mean)) return (mean, 1);
        var best = (LossSum: 0.0, Count: 1, Error: double.PositiveInfinity);
        foreach (var count in Counts())
        {
            var total = countSoFar + otherWorkers + count;
            var target = SumFor(mean, total, out var exact);
            var step = target - sumSoFar;
            if (exact && sumSoFar + step == target) return (step, count);
            var error = Math.Abs((sumSoFar + step) / total - mean);
            if (error < best.Error) best = (step, count, error);
        }
        return (best.LossSum, best.Count); // the closest found
    }

    // Small counts first (a step's count is a batch size), then larger ones for a mean that falls steeply.
    private static IEnumerable<int> Counts()
    {
        for (var c = 1; c <= 64; c++) yield return c;
        for (var c = 128; c <= 1 << 29; c *= 2) yield return c; // up to 2^29: no overflow
    }

    /// <summary>The value as p / q with q = 10^d for its shortest decimal form (d at most 6; beyond, rounded to 6 decimals).</summary>
    internal static (long P, long Q) Fraction(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d.Scale <= MaxDecimals)
        {
            var q = (long)Math.Pow(10, d.Scale);
            return ((long)(d * q), q);
        }
        const long million = 1_000_000;
        return ((long)Math.Round(value * million), million);
    }
}
