using System.Globalization;
using Coordinator.Core.Reporting;
using Xunit.Abstractions;

namespace Coordinator.Recovery.Tests.TestSupport;

/// <summary>Compares two runs' summary.json: the decisions exactly, the metrics within 1e-4.</summary>
public static class Decisions
{
    public const double Tolerance = 1e-4;

    /// <summary>What the callbacks decided, one line each, as text (so a failure shows the first difference).</summary>
    public static string Sheet(RunSummary s) => string.Join("\n", new[]
        {
            $"status {s.Status}",
            $"epochs_run {s.EpochsRun}",
            $"stopped_epoch {s.StoppedEpoch}",
            $"stop_reason {s.StopReason}",
            $"monitor {s.Monitor}",
            $"best_epoch {s.BestEpoch}",
            $"final_model {s.FinalModel}",
            $"error {s.Error}",
        }
        .Concat(s.LrChanges.Select(c => $"lr_change epoch {c.Epoch}: {G(c.From)} -> {G(c.To)} ({c.Reason})"))
        .Concat(s.Checkpoints.Select(c => $"checkpoint epoch {c.Epoch}: {c.Path} sha256 {c.Sha256} {c.Bytes} bytes monitor {G(c.MonitorValue)} deleted {c.Deleted}")));

    /// <summary>Same decisions, same metrics (1e-4); reports whether the metrics are in fact bit-identical.</summary>
    public static void AssertSame(RunSummary expected, RunSummary actual, ITestOutputHelper? output = null)
    {
        Assert.Equal(Sheet(expected), Sheet(actual));

        var pairs = new List<(string Name, double Expected, double Actual)>();
        if (expected.Best is { } eb && actual.Best is { } ab) pairs.Add(("best", eb, ab));
        else Assert.Equal(expected.Best, actual.Best);
        Assert.Equal(expected.Final is null, actual.Final is null);
        if (expected.Final is { } ef && actual.Final is { } af)
            pairs.AddRange([
                ("final.loss", ef.Loss, af.Loss), ("final.accuracy", ef.Accuracy, af.Accuracy),
                ("final.val_loss", ef.ValLoss, af.ValLoss), ("final.val_accuracy", ef.ValAccuracy, af.ValAccuracy),
            ]);
        Assert.Equal(expected.History.Select(h => h.Epoch), actual.History.Select(h => h.Epoch));
        foreach (var (e, a) in expected.History.Zip(actual.History))
            pairs.AddRange([
                ($"history[{e.Epoch}].lr", e.Lr, a.Lr), ($"history[{e.Epoch}].loss", e.Loss, a.Loss),
                ($"history[{e.Epoch}].accuracy", e.Accuracy, a.Accuracy), ($"history[{e.Epoch}].val_loss", e.ValLoss, a.ValLoss),
                ($"history[{e.Epoch}].val_accuracy", e.ValAccuracy, a.ValAccuracy),
            ]);

        var off = pairs.Where(p => !(Math.Abs(p.Expected - p.Actual) <= Tolerance || (double.IsNaN(p.Expected) && double.IsNaN(p.Actual)))).ToList();
        Assert.True(off.Count == 0, "metrics differ by more than 1e-4:\n" +
                                    string.Join("\n", off.Select(p => $"  {p.Name}: expected {G(p.Expected)}, got {G(p.Actual)}")));
        var identical = pairs.Count(p => p.Expected.Equals(p.Actual));
        output?.WriteLine($"decisions identical; {identical} of {pairs.Count} metric values bit-identical, the largest difference {pairs.Select(p => Math.Abs(p.Expected - p.Actual)).DefaultIfEmpty(0).Max():R}");
    }

    private static string G(double? v) => v is { } d ? d.ToString("R", CultureInfo.InvariantCulture) : "none";
}
