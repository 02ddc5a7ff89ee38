using Coordinator.Actors.State;
using Coordinator.Cli.History;
using Coordinator.Configuration;

namespace Coordinator.Cli.Train;

/// <summary>
/// An unfinished run's folder opened to continue it (<c>train --resume DIR [--epochs N]</c>). The run id
/// and everything decided so far come from its journal, not from the folder's name, so a folder may be
/// renamed, moved or copied. <see cref="State"/> is null when the journal records nothing yet (the run
/// was stopped before its first event): it then starts from epoch 1 with its run.conf.
/// </summary>
public sealed record ResumedRun(string RunId, string Folder, RunState? State)
{
    public static ResumedRun Open(string requested, int? epochs)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(requested));
        if (!Directory.Exists(folder))
            throw Refused(requested, File.Exists(folder) ? "is a file, not a run folder" : "no such folder");
        var journal = Path.Combine(folder, RunFolder.JournalFile);
        if (!File.Exists(Path.Combine(folder, RunFolder.ConfigCopy)))
            throw Refused(requested, !Directory.EnumerateFileSystemEntries(folder).Any()
                ? $"is empty: no run was started in it; start one with: coordinator train --config FILE --run-dir {requested}"
                : $"is not a run folder (it has no {RunFolder.ConfigCopy}); nothing in it was changed");

        var journalBytes = File.Exists(journal) ? new FileInfo(journal).Length : -1;
        var contents = journalBytes > 0 ? ResumeJournal.Read(journal, Path.GetFileName(folder), requested) : null;
        if (contents is null || contents.Events.Count == 0)
        {
            var saved = SavedFiles(folder);
            if (saved.Count > 0)
                throw Refused(requested,
                    $"{(journalBytes < 0 ? $"has no {RunFolder.JournalFile}" : journalBytes == 0 ? $"its {RunFolder.JournalFile} is empty (0 bytes)" : $"its {RunFolder.JournalFile} records no event")}, " +
                    $"yet {saved.Count} saved file(s) lie beside it ({string.Join(", ", saved.Take(3))}{(saved.Count > 3 ? ", ..." : "")}): the run's record is lost, " +
                    "and no saved file is used without it (nothing was changed). To train the run again from epoch 1 in this folder, " +
                    $"move state/ and checkpoints/ out of it and run: coordinator train --resume {requested}; or start a new run with its settings: " +
                    $"coordinator train --config {Path.Combine(requested, RunFolder.ConfigCopy)} --run-dir NEW_FOLDER");
            return new ResumedRun(Path.GetFileName(folder), folder, null);
        }

        var state = RunStatusFold.State(contents.Events);
        var runId = state.Started?.RunId ?? contents.PersistenceId["run-".Length..];
        if (state.Completed is not null) RefuseFinished(requested, state, epochs);
        if (epochs is { } n && n <= state.EpochsRun)
            throw new ConfigurationError("--epochs", n.ToString(), $"the run has completed {state.EpochsRun} epochs already; give more to train it further");
        return new ResumedRun(runId, folder, state);
    }

    /// <summary>
    /// The callbacks' saved state must fit the callbacks in run.conf: a run started by an older version
    /// recorded no settings to compare, and a mismatch found only by the supervisor would fail the run.
    /// </summary>
    public void CheckCallbacksFit(PreparedRun prepared, string requested)
    {
        if (State is not { Epochs.Count: > 0 } state) return;
        try
        {
            new Callbacks.CallbackEngine(prepared.Config.Callbacks, new Callbacks.RunInfo(prepared.Settings.Optimizer.LearningRate, prepared.Settings.Training.Workers))
                .RestoreState(Callbacks.State.CallbackJsonContext.Deserialize(state.Epochs[^1].CallbackState));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Text.Json.JsonException or InvalidCastException)
        {
            throw Refused(requested, $"the callbacks in its {RunFolder.ConfigCopy} are not those the run started with ({e.Message}); " +
                                     $"put {RunFolder.ConfigCopy} back, or start a new run: coordinator train --config {Path.Combine(requested, RunFolder.ConfigCopy)} --run-dir NEW_FOLDER");
        }
    }

    // A finished run goes on only when it ran to its epoch limit and --epochs raises the limit. A run a
    // callback stopped (EarlyStopping, TerminateOnNaN) stays stopped: its callbacks' state says stop, so
    // more epochs would train nothing.
    private static void RefuseFinished(string requested, RunState state, int? epochs)
    {
        if (state.Stop is { } stop)
            throw Refused(requested, $"holds a finished run that {stop.Source} stopped after epoch {stop.Epoch + 1} ({stop.Reason}); " +
                                     "its callbacks' state says stop, so more epochs would train nothing: it stays as it is. To train further with fresh " +
                                     $"callbacks, start a new run from its settings: coordinator train --config {Path.Combine(requested, RunFolder.ConfigCopy)} --run-dir NEW_FOLDER");
        if (epochs is null)
            throw Refused(requested, $"holds a finished run (all {state.EpochLimit} epochs ran); to train it further: coordinator train --resume {requested} --epochs N (N > {state.EpochsRun})");
        if (epochs <= state.EpochsRun)
            throw new ConfigurationError("--epochs", epochs.Value.ToString(), $"the run has completed {state.EpochsRun} epochs already; give more to train it further");
    }

    private static List<string> SavedFiles(string folder) =>
        new[] { "state", "checkpoints" }.Select(f => Path.Combine(folder, f)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal).ToList();

    private static ConfigurationError Refused(string requested, string why) => new("--resume", requested, why);
}
