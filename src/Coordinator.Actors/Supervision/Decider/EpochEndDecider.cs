using Coordinator.Actors.Protocol;
using Coordinator.Actors.State;
using Coordinator.Callbacks;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision.Decider;

/// <summary>A file the epoch's end stores or records, in the order the callbacks decided.</summary>
public abstract record FileJob
{
    /// <summary>The first member's weights, stored at <see cref="Path"/> for a checkpoint.</summary>
    public sealed record SaveCheckpoint(CheckpointRequested Request, string Path) : FileJob;

    /// <summary>The first member's weights, kept as the best so far.</summary>
    public sealed record SaveBestWeights(BestWeightsMarked Marked, string Path) : FileJob;

    /// <summary>A checkpoint the callbacks delete: recorded now, deleted once the batch is stored.</summary>
    public sealed record RecordDeletion(CheckpointDeleted Deleted) : FileJob;

    /// <summary>A checkpoint name that may not be written: the run fails here.</summary>
    public sealed record Refused(string Reason) : FileJob;
}

/// <summary>
/// What ending an epoch writes and persists (pure). <see cref="Plan"/> turns the epoch's reports and the
/// callbacks' decisions into the events known at once and the files to store; as files are stored,
/// <see cref="Saved"/> gives their events; <see cref="Close"/> adds the resume state and drops old ones.
/// Files first, then every event of the epoch in one batch, then deletions: a crash before the batch
/// trains the epoch again with the same result; a crash after it resumes from this epoch.
/// </summary>
public static class EpochEndDecider
{
    public sealed record EpochEndPlan(
        int Epoch, IReadOnlyList<IRunEvent> Events, IReadOnlyList<FileJob> Files, IReadOnlyDictionary<string, double> Logs,
        double Seconds, IReadOnlyList<EpochDecision> Decisions, IReadOnlyList<LogLineWriteRequested> LogLines, IReadOnlyList<string> Warnings);

    /// <param name="decisions">Every decision of the epoch: its begin, its batches and its end, in order.</param>
    /// <param name="callbackState">The callbacks' state after the epoch (JSON), for a resume.</param>
    public static EpochEndPlan Plan(int epoch, EpochEnded ended, IReadOnlyList<CallbackDecision> decisions,
        IReadOnlyList<WorkerReports.EpochTrained> reports, double seconds, string callbackState, RunState run, SupervisorSettings s)
    {
        var warnings = new List<string>();
        if (reports.Select(r => r.ParameterHash).Distinct().Count() > 1)
            warnings.Add($"epoch {epoch + 1}: the replicas differ after synchronisation ({string.Join(", ", reports.Select(r => r.ParameterHash))})");
        var logs = ended.Logs.ToDictionary(kv => kv.Key, kv => kv.Value);
        var events = new List<IRunEvent>
        {
            new EpochCompleted(epoch, ended.LearningRate, logs, seconds, reports.Max(r => r.Steps), reports.Max(r => r.BytesSent), callbackState),
        };
        foreach (var w in decisions.OfType<CallbackWarning>())
            events.Add(new CallbackWarned(epoch, w.Source, w.Message));
        foreach (var c in decisions.OfType<Callbacks.LearningRateChanged>())
            events.Add(new Events.RunEvents.LearningRateChanged(c.Epoch, c.From, c.To,
                c.Reason == LearningRateChangeReason.Plateau ? "plateau" : "schedule", c.Source));
        if (ended.StopTraining && ended.StopReason is { } reason)
        {
            var stop = decisions.OfType<StopRequested>().First();
            events.Add(new TrainingStopped(epoch, stop.Batch, reason.Kind.ToString(), reason.Source, reason.Message));
        }
        // EarlyStopping may mark the same epoch twice (Keras sets best_weights, then improves on them): write it once.
        var lastMark = decisions.OfType<BestWeightsMarked>().LastOrDefault();
        var files = decisions.Select(d => Job(d, lastMark, run, s)).OfType<FileJob>().ToList();
        return new EpochEndPlan(epoch, events, files, logs, seconds, Progress.EpochDecisions.From(decisions),
            decisions.OfType<LogLineWriteRequested>().ToList(), warnings);
    }

    private static FileJob? Job(CallbackDecision decision, BestWeightsMarked? lastMark, RunState run, SupervisorSettings s)
    {
        var paths = s.Paths;
        switch (decision)
        {
            case CheckpointRequested save:
                // Checked at start-up too; a template can still render to a name the check did not see.
                var (path, problem) = paths.CheckpointTarget(save.Path);
                return path is null
                    ? new FileJob.Refused($"{save.Source}: checkpoint file \"{save.Path}\" {problem}")
                    : new FileJob.SaveCheckpoint(save, path);
            case BestWeightsMarked marked when ReferenceEquals(marked, lastMark):
                // A name per epoch: the file the journal points to is never overwritten before the
                // new one is recorded; the previous one goes once the batch is stored.
                return new FileJob.SaveBestWeights(marked, s.BestWeightsPath(marked.Epoch));
            case CheckpointDeletionRequested delete:
                // Recorded as the checkpoint it deletes was (an older journal recorded absolute paths).
                var target = Path.GetFullPath(Path.Combine(paths.CheckpointFolder, delete.Path));
                var recorded = run.Checkpoints.FirstOrDefault(c => !c.Deleted && paths.Resolve(c.Saved.Path) == target)?.Saved.Path
                               ?? paths.Record(target);
                return new FileJob.RecordDeletion(new CheckpointDeleted(delete.Epoch, recorded, delete.Why));
            default:
                return null;
        }
    }

    /// <summary>The events of a stored file, and the recorded paths to delete once the batch is stored.</summary>
    public static (IReadOnlyList<IRunEvent> Events, IReadOnlyList<string> Deletions) Saved(FileJob job, StoredFile? written, RunState run) =>
        job switch
        {
            FileJob.SaveCheckpoint { Request: var save } =>
                ([new CheckpointSaved(save.Epoch, save.Batch, written!.Path, written.Sha256, written.Bytes, save.Monitor, save.MonitorValue,
                    save.Kind == CheckpointKind.Last ? "last" : "regular")], []),
            FileJob.SaveBestWeights { Marked: var marked } when run.BestWeights is { } previous && previous.File.Path != written!.Path =>
                ([new BestWeightsSaved(marked.Epoch, written), new BestWeightsDeleted(previous.Epoch, previous.File.Path)], [previous.File.Path]),
            FileJob.SaveBestWeights { Marked: var marked } => ([new BestWeightsSaved(marked.Epoch, written!)], []),
            FileJob.RecordDeletion { Deleted: var deleted } => ([deleted], [deleted.Path]),
            _ => ([], []),
        };

    /// <summary>One resume-state file per rank, in ring order: members whose state is the first's share its file.</summary>
    public static ResumeStateSaved ResumeState(int epoch, int members, StoredFile first, IReadOnlyDictionary<int, StoredFile> ownByRank) =>
        new(epoch, Enumerable.Range(0, members).Select(rank => ownByRank.GetValueOrDefault(rank, first)).ToList());

    /// <summary>The epoch's last events (its resume state, the resume states it makes too old to keep) and every
    /// file to delete once the batch is stored, each with whether it may lie outside the run folder (a checkpoint the
    /// user placed there with an absolute filepath).</summary>
    public static (IReadOnlyList<IRunEvent> Events, IReadOnlyList<(string Path, bool UserPlacedAllowed)> Deletions) Close(
        int epoch, IReadOnlyList<IRunEvent> events, IReadOnlyList<string> deletions, ResumeStateSaved resumeState, RunState run, SupervisorSettings s)
    {
        var old = run.ResumeStates.Where(r => r.Epoch <= epoch - s.KeepResumeStates).ToList();
        var last = new List<IRunEvent> { resumeState };
        last.AddRange(old.Select(r => new ResumeStateDeleted(r.Epoch)));
        var all = events.Concat(last).ToList();
        var files = deletions.Select(p => (p, all.OfType<CheckpointDeleted>().Any(d => d.Path == p)))
            .Concat(old.SelectMany(r => r.Files.Select(f => f.Path)).Distinct().Select(p => (p, false))).ToList();
        return (last, files);
    }
}
