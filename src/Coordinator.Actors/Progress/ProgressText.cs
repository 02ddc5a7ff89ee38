using System.Globalization;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Progress;

/// <summary>
/// Progress in words, for the subscribers that show it to people (the console, a scenario's story): the same
/// sentences for the same facts wherever they are shown. Epochs count from 1 here, as on screen.
/// </summary>
public static class ProgressText
{
    /// <summary>What the callbacks decided, in the few words the epoch line shows (each note once):
    /// <c>lr 0.01 -> 0.002 (plateau)</c>, <c>checkpoint saved</c>, <c>early stop</c>, <c>stopped: NaN/inf loss</c>.</summary>
    public static IReadOnlyList<string> EpochNotes(IEnumerable<EpochDecision> decisions) =>
        decisions.Select(Note).OfType<string>().Distinct().ToList();

    private static string? Note(EpochDecision d) => d switch
    {
        EpochDecision.RateChanged c => string.Create(CultureInfo.InvariantCulture, $"lr {Rate(c.From)} -> {Rate(c.To)} ({c.Reason})"),
        EpochDecision.CheckpointSaved { Kind: "regular" } => "checkpoint saved",
        EpochDecision.StopRequested { Kind: "NonFiniteLoss" } => "stopped: NaN/inf loss",
        EpochDecision.StopRequested => "early stop",
        _ => null,
    };

    /// <summary>A rate as people read it: 4 significant digits (0.002, not 0.001999999862164259).</summary>
    public static string Rate(double rate) =>
        Callbacks.Formatting.PythonFormat.Format("{lr:.4g}", new Dictionary<string, object> { ["lr"] = rate });

    /// <summary>The warning this progress is (without the "warning: " a console puts before it), or null.</summary>
    public static string? Warning(RunProgress.Update update) => update switch
    {
        RunProgress.Warning { Source: { } source } w => $"{source}: {w.Message}",
        RunProgress.Warning w => w.Message,
        RunProgress.MembersChanged { Change: MemberChange.LostDuringEpoch } m => $"worker {m.Worker} {m.Reason} during epoch {m.Epoch + 1}",
        RunProgress.MembersChanged { Change: MemberChange.LostBetweenEpochs } m => $"worker {m.Worker} {m.Reason} between epochs",
        _ => null,
    };

    /// <summary>The note this progress is (a line that is not a problem), or null.</summary>
    public static string? Note(RunProgress.Update update) => update switch
    {
        RunProgress.Note n => n.Message,
        RunProgress.WorkerWaiting w => $"worker {w.Worker} registered; it joins at the next epoch",
        RunProgress.MembersChanged { Change: MemberChange.Joined } m => $"worker {m.Worker} joined: {m.Members.Count} workers from epoch {m.Epoch + 1}",
        RunProgress.MembersChanged { Change: MemberChange.LostBeforeJoining } m => $"worker {m.Worker} {m.Reason} before it joined",
        RunProgress.EpochRestarting r => $"restarting epoch {r.Epoch + 1} with {r.Members} workers (restart {r.Restart} of {r.MaxRestarts})",
        _ => null,
    };

    /// <summary>How the supervisor recovered: <c>recovered 120 events (snapshot at 100 plus 20 after it), 12 epochs</c>.</summary>
    public static string Recovered(RunProgress.Recovered r) =>
        $"recovered {r.LastSequenceNr} events ({(r.SnapshotSequenceNr > 0 ? $"snapshot at {r.SnapshotSequenceNr} plus {r.LastSequenceNr - r.SnapshotSequenceNr} after it" : "no snapshot")}), {r.Epochs} epochs";
}
