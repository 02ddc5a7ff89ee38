using Coordinator.Core.Reporting;

namespace Coordinator.Reporting;

/// <summary>
/// The block printed when a run ends:
/// <code>
/// Run r1 stopped after 12 epochs
///   best:        val_loss 0.3901 at epoch 9
///   stopped:     val_loss did not improve for 3 epochs
///   final model: runs/r1/model.bin
///   wall time:   2m 05s
///   run folder:  runs/r1
/// </code>
/// Lines without a value (no monitor, no stop reason, no error) are left out.
/// </summary>
public static class SummaryBlock
{
    public static IReadOnlyList<string> Lines(RunSummary summary, string runFolder, string? finalModelPath)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var epochs = summary.EpochsRun == 1 ? "1 epoch" : $"{summary.EpochsRun} epochs";
        var lines = new List<string> { $"Run {summary.RunId} {summary.Status.Name()} after {epochs}" };
        if (Best(summary) is { } best) lines.Add(Field("best", best));
        if (!string.IsNullOrWhiteSpace(summary.StopReason)) lines.Add(Field("stopped", EpochNumbering.ToScreen(summary.StopReason)));
        if (!string.IsNullOrWhiteSpace(summary.Error)) lines.Add(Field("error", summary.Error));
        if (summary.Final is { } f)
            lines.Add(Field("final", EpochLine.Metrics(f.Logs.Items)));
        lines.Add(Field("final model", finalModelPath ?? summary.FinalModel ?? "none"));
        lines.Add(Field("wall time", NumberText.Duration(summary.WallSeconds)));
        lines.Add(Field("run folder", runFolder));
        return lines;
    }

    /// <summary>The block as text, lines joined with '\n' (no final newline).</summary>
    public static string Format(RunSummary summary, string runFolder, string? finalModelPath) =>
        string.Join("\n", Lines(summary, runFolder, finalModelPath));

    /// <summary><c>val_loss 0.3901 at epoch 9</c>, or null when the run monitored nothing.</summary>
    public static string? Best(RunSummary summary)
    {
        if (string.IsNullOrWhiteSpace(summary.Monitor)) return null;
        if (summary.Best is not { } best || summary.BestEpoch is not { } epoch) return $"{summary.Monitor}: no value";
        return $"{summary.Monitor} {NumberText.Metric(best)} at epoch {epoch + 1}";
    }

    private static string Field(string name, string value) => $"  {(name + ":").PadRight(13)}{value}";
}
