using Coordinator.Core.Reporting;
using Coordinator.Reporting;

namespace Coordinator.Cli.History;

/// <summary>
/// The text of <c>coordinator history</c>, one line per entry (pure). Epochs are shown from 1, as
/// Keras and <c>train</c> print them; what happened within an epoch (rate changes, checkpoints,
/// resume states, the stop) is indented under its epoch line. Files that no longer match their
/// recorded SHA-256 are marked <c>[missing]</c>, <c>[altered]</c> or <c>[unreadable]</c>; entries a
/// later rewind replaced are marked <c>[superseded]</c>. Routine bookkeeping is shown on request.
/// </summary>
public static class HistoryText
{
    private const string Gap = "  ";
    private const string Indent = "  ";

    /// <summary>Logs shown by the standard part of the epoch line (the rest follow it by name).</summary>
    private static readonly HashSet<string> StandardLogs = new(StringComparer.Ordinal)
    {
        "loss", "accuracy", "val_loss", "val_accuracy", "learning_rate", "lr",
    };

    /// <summary>
    /// The lines: a header, then one line per entry. Routine bookkeeping (resume states saved and
    /// deleted, best weights saved) is left out unless <paramref name="all"/> or one of its files
    /// failed its check; the header says how many entries were left out.
    /// </summary>
    public static IReadOnlyList<string> Lines(RunHistory history, bool all = false)
    {
        ArgumentNullException.ThrowIfNull(history);
        var shown = history.Entries.Where(e => all || !IsRoutine(e)).ToList();
        var hidden = history.Entries.Count - shown.Count;
        var journal = Path.Combine(history.RunFolder, RunJournal.JournalFile);
        var lines = new List<string>
        {
            history.Entries.Count == 0 ? $"run {history.RunId}: no events in {journal}"
            : hidden == 0 ? $"run {history.RunId}: {history.Entries.Count} events in {journal}"
            : $"run {history.RunId}: {history.Entries.Count} events in {journal} ({hidden} resume-state and best-weights entries not shown; --all shows them)",
        };
        var total = history.Entries.OfType<RunStartedEntry>().LastOrDefault()?.Epochs
                    ?? history.Entries.OfType<EpochEntry>().Select(e => e.Epoch + 1).DefaultIfEmpty(0).Max();
        foreach (var entry in shown) lines.Add(Line(entry, total, history.RunFolder));
        return lines;
    }

    /// <summary>Bookkeeping every epoch repeats, whose files all checked out (or were not checked).</summary>
    public static bool IsRoutine(HistoryEntry entry) => entry switch
    {
        ResumeStateSavedEntry r => !r.Files.Any(f => FileCheck.IsProblem(f.Check)),
        ResumeStateDeletedEntry => true,
        BestWeightsSavedEntry b => !FileCheck.IsProblem(b.File.Check),
        BestWeightsDeletedEntry => true,
        _ => false,
    };

    /// <summary>One entry's line; <paramref name="totalEpochs"/> is the run's epoch limit (for "Epoch 3/12").</summary>
    public static string Line(HistoryEntry entry, int totalEpochs, string runFolder) => entry switch
    {
        RunStartedEntry s =>
            $"started {NumberText.Instant(s.At)}: {Plural(s.Workers, "worker")}, sync {s.Sync}, seed {s.Seed}, " +
            $"{Plural(s.Epochs, "epoch")}, lr {NumberText.Rate(s.InitialLr)}, {Plural(s.ParameterCount, "parameter")}, " +
            $"config {NumberText.Sha(s.ConfigSha256)}",
        EpochEntry e => EpochText(e, totalEpochs),
        LrChangedEntry c =>
            Indent + $"lr {NumberText.Rate(c.From)} -> {NumberText.Rate(c.To)} ({Join(c.Reason, c.Source)})" + Superseded(c.Superseded),
        CheckpointSavedEntry s =>
            Indent + $"checkpoint saved: {Shown(s.File, runFolder)}{Gap}sha256 {NumberText.Sha(s.File.Sha256)}" +
            (s.MonitorValue is { } v && !string.IsNullOrEmpty(s.Monitor) ? $"{Gap}{s.Monitor} {NumberText.Metric(v)}" : "") +
            (s.Batch is { } b ? $"{Gap}batch {b}" : "") +
            (s.Kind is "last" ? $"{Gap}(last)" : "") +
            Mark(s.File),
        CheckpointDeletedEntry d =>
            Indent + $"checkpoint deleted: {Shown(d.ResolvedPath, runFolder)}" + (string.IsNullOrWhiteSpace(d.Reason) ? "" : $" ({d.Reason})"),
        TrainingStoppedEntry s =>
            Indent + $"training stopped at epoch {s.Epoch + 1}{(s.Batch is { } b ? $", batch {b}" : "")} by {s.Source} ({s.Kind}): {EpochNumbering.ToScreen(s.Reason)}" +
            Superseded(s.Superseded),
        BestWeightsSavedEntry b =>
            Indent + $"best weights saved: {Shown(b.File, runFolder)}{Gap}sha256 {NumberText.Sha(b.File.Sha256)}{Mark(b.File)}",
        BestWeightsDeletedEntry d =>
            Indent + $"best weights of epoch {d.Epoch + 1} deleted: {Shown(d.ResolvedPath, runFolder)} (superseded by better ones)",
        BestWeightsRestoredEntry r => $"best weights restored from epoch {r.Epoch + 1} ({r.Source})",
        ResumeStateSavedEntry r =>
            Indent + $"resume state saved: " +
            (r.Files.Count == 0 ? "no files" : string.Join(", ", r.Files.Select(f => Shown(f, runFolder) + Mark(f)))),
        ResumeStateDeletedEntry d => Indent + $"resume state of epoch {d.Epoch + 1} deleted",
        CallbackWarnedEntry w => Indent + $"warning from {w.Source} at epoch {w.Epoch + 1}: {EpochNumbering.ToScreen(w.Message)}",
        EpochLimitChangedEntry c => $"epoch limit {c.From} -> {c.To} at {NumberText.Instant(c.At)}",
        RunResumedEntry r => r.FromEpoch < 0
            ? $"resumed from the start at {NumberText.Instant(r.At)}"
            : $"resumed from epoch {r.FromEpoch + 1} at {NumberText.Instant(r.At)} (continuing with epoch {r.FromEpoch + 2})",
        RunRewoundEntry r => (r.ToEpoch < 0
            ? "rewound to the start"
            : $"rewound to epoch {r.ToEpoch + 1} (epochs from {r.ToEpoch + 2} are trained again)") + $": {r.Reason}",
        CheckpointCorruptedEntry c =>
            $"checkpoint corrupted: {Shown(c.ResolvedPath, runFolder)} (expected sha256 {NumberText.Sha(c.ExpectedSha256)}): {c.Problem}",
        RunCompletedEntry c =>
            $"{c.Status.Name()} after {Plural(c.EpochsRun, "epoch")} in {NumberText.Duration(c.WallSeconds)}: {Final(c.Final)}" +
            $"; final model {Shown(c.FinalModel, runFolder)}{Gap}sha256 {NumberText.Sha(c.FinalModel.Sha256)}{Mark(c.FinalModel)}",
        RunFailedEntry f => $"failed after {Plural(f.EpochsRun, "epoch")} in {NumberText.Duration(f.WallSeconds)}: {f.Reason}",
        OtherEntry o => $"(event {o.Event}{(o.Problem is null ? "" : $", not decoded: {o.Problem}")}){(o.Data is { } d ? " " + Shorten(d.GetRawText(), 200) : "")}",
        _ => $"({entry.GetType().Name})",
    };

    private static string EpochText(EpochEntry e, int totalEpochs)
    {
        var record = new EpochRecord(e.Epoch, e.Lr, Log(e, "loss"), Log(e, "accuracy"), Log(e, "val_loss"), Log(e, "val_accuracy"), e.Seconds);
        var line = EpochLine.Format(record, Math.Max(totalEpochs, e.Epoch + 1));
        var extras = e.Logs.Where(kv => !StandardLogs.Contains(kv.Key)).Select(kv => $"{kv.Key} {NumberText.Metric(kv.Value)}").ToList();
        if (extras.Count > 0) line += Gap + string.Join(Gap, extras);
        return line + Superseded(e.Superseded);
    }

    private static string Final(FinalMetrics? f) => f is null
        ? "no final metrics"
        : string.Join(Gap, f.Logs.Items
            .Where(m => m.Key == "loss" || !double.IsNaN(m.Value))
            .Select(m => $"{EpochLine.MetricText(m.Key)} {NumberText.Metric(m.Value)}"));

    private static double Log(EpochEntry e, string name) => e.Logs.TryGetValue(name, out var v) ? v : double.NaN;

    private static string Shown(RecordedFile file, string runFolder) => Shown(file.ResolvedPath, runFolder);

    private static string Shown(string path, string runFolder) =>
        string.IsNullOrEmpty(path) ? "(no path)" : HistoryTimeline.DisplayPath(Path.IsPathRooted(path) ? path : Path.Combine(runFolder, path), runFolder);

    private static string Mark(RecordedFile file) => FileCheck.IsProblem(file.Check) ? $" [{file.Check}]" : "";

    private static string Superseded(bool superseded) => superseded ? " [superseded]" : "";

    private static string Join(string a, string b) =>
        string.IsNullOrWhiteSpace(b) ? a : string.IsNullOrWhiteSpace(a) ? b : $"{a}, {b}";

    private static string Plural(long n, string noun) => $"{NumberText.Integer(n)} {noun}{(n == 1 ? "" : "s")}";

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 3)] + "...";
}
