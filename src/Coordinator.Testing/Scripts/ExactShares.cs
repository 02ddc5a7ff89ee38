using System.Globalization;

namespace Coordinator.Testing.Scripts;

/// <summary>
/// Chooses what each simulated worker reports so that the supervisor's sample-weighted means
/// (EpochAggregation for epochs and the final evaluation, StepLosses for batches) give back the
/// scripted values exactly in double arithmetic. Every worker reports the same sample count and the
/// same number of correct samples; the worker of rank 0 carries the whole loss sum and the others
/// report 0, so the sum comes out the same in any order. An accuracy is reproduced exactly when it
/// has at most 6 decimals (as a fraction p/10^d: the count is a multiple of 10^d), otherwise to 6 decimals.
/// </summary>
internal static class ExactShares
{
    private const int MaxDecimals = 6;

    /// <summary>What each worker reports for a (loss, accuracy) pair: the count and correct count every
    /// worker reports, and the loss sum rank 0 reports.</summary>
    internal sealed record Share(int Count, int Correct, double LossSum);

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
    /// What rank 0 adds to the supervisor's running loss sum <paramref name="sumSoFar"/> so that the running
    /// mean over <paramref name="count"/> samples becomes <paramref name="mean"/>; returns the step's loss sum
    /// and the new running sum (as the supervisor computes it).
    /// </summary>
    public static (double Step, double Sum) StepFor(double sumSoFar, double mean, long count)
    {
        var target = SumFor(mean, count, out _);
        var step = target - sumSoFar;
        if (!double.IsFinite(step) || sumSoFar + step == target) return (step, sumSoFar + step);
        var (up, down) = (step, step);
        for (var i = 0; i < 64; i++)
        {
            up = Math.BitIncrement(up);
            if (sumSoFar + up == target) return (up, target);
            down = Math.BitDecrement(down);
            if (sumSoFar + down == target) return (down, target);
        }
        return (step, sumSoFar + step);
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
