using System.Globalization;

namespace Coordinator.Callbacks.Tests.TestSupport;

/// <summary>Exact, readable text for outcomes, so two runs can be compared line by line.</summary>
public static class Describe
{
    public static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string Logs(MetricLogs logs) =>
        "{" + string.Join(", ", logs.Select(kv => $"{kv.Key}: {Number(kv.Value)}")) + "}";

    /// <summary>One line per epoch (rates, stop, logs, decisions) and one for the train end.</summary>
    public static IReadOnlyList<string> Trace(RunResult run)
    {
        var lines = new List<string> { "train begin: " + Decisions(run.TrainBeginDecisions) };
        foreach (var e in run.Epochs)
        {
            var batches = string.Join(" ", e.Batches.Select(b =>
                $"b{b.Batch}(stop={b.StopTraining}, abort={b.Aborted}, {Decisions(b.Decisions)})"));
            var end = e.Ended is { } x
                ? $"lr={Number(x.LearningRate)} -> {Number(x.LearningRateAfter)} stop={x.StopTraining} " +
                  $"reason={x.StopReason} logs={Logs(x.Logs)} {Decisions(x.Decisions)}"
                : "(aborted: no epoch end)";
            lines.Add($"epoch {e.Epoch}: begin lr={Number(e.Started.LearningRate)} {Decisions(e.Started.Decisions)} | {batches} | {end}");
        }
        lines.Add(run.TrainEnded is { } t
            ? $"train end: restored={t.RestoredWeightsEpoch} {Decisions(t.Decisions)}"
            : "train end: (not called)");
        return lines;
    }

    public static string Decisions(IEnumerable<CallbackDecision> decisions) =>
        "[" + string.Join("; ", decisions.Select(Decision)) + "]";

    public static string Decision(CallbackDecision d) => d switch
    {
        LearningRateChanged c => $"lr {c.Source} e{c.Epoch} {Number(c.From)}->{Number(c.To)} {c.Reason}",
        CheckpointRequested c => $"save {c.Source} e{c.Epoch} b{c.Batch} {c.Path} {c.Monitor}={(c.MonitorValue is { } v ? Number(v) : "-")} w={c.WeightsOnly} {c.Kind}",
        _ => d.ToString(),
    };
}
