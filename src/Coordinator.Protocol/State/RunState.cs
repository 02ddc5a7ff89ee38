using System.Collections.Immutable;
using Coordinator.Actors.Events;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.State;

/// <summary>
/// The supervisor's state as a pure fold over its events: what has been decided so far.
/// <see cref="Apply"/> is the only way it changes, in recovery and in live operation alike. It is
/// also the snapshot (plain data, no weights).
/// </summary>
public sealed record RunState : Protocol.ICoordinatorMessage
{
    /// <summary>The whole history: every epoch, rate change and checkpoint (for summaries and tools).</summary>
    public static readonly RunState Empty = new();

    /// <summary>
    /// The supervisor's working state: only the last <paramref name="epochs"/> epochs, no rate
    /// changes, no deleted checkpoints. Its size does not grow with the run, so neither do its
    /// snapshots nor the time to recover from them; the whole history stays in the journal.
    /// </summary>
    public static RunState Bounded(int epochs) => new() { KeepEpochs = epochs };

    /// <summary>Null: keep everything; otherwise how many of the newest epochs to keep.</summary>
    public int? KeepEpochs { get; init; }

    /// <summary>Epochs completed so far (also those a bounded state no longer holds).</summary>
    public int EpochsRun { get; init; }

    public RunStarted? Started { get; init; }
    public ImmutableList<EpochCompleted> Epochs { get; init; } = [];
    public ImmutableList<LearningRateChanged> LearningRateChanges { get; init; } = [];
    public ImmutableList<CheckpointEntry> Checkpoints { get; init; } = [];
    public BestWeightsSaved? BestWeights { get; init; }
    public TrainingStopped? Stop { get; init; }
    public BestWeightsRestored? Restored { get; init; }
    public RunCompleted? Completed { get; init; }
    public RunFailed? Failed { get; init; }
    public ImmutableList<ResumeStateSaved> ResumeStates { get; init; } = [];
    public ImmutableList<RunResumed> Resumes { get; init; } = [];
    public ImmutableList<CheckpointCorrupted> Corruptions { get; init; } = [];

    /// <summary>The epoch limit set since the start (<c>EpochLimitChanged</c>); null: the one <c>RunStarted</c> recorded.</summary>
    public int? ChangedEpochLimit { get; init; }

    /// <summary>The run's epoch limit now (null before it started).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int? EpochLimit => ChangedEpochLimit ?? Started?.Epochs;

    /// <summary>How many members the run had after its last membership change (a resumed run waits for as many).</summary>
    public int Members { get; init; }

    /// <summary>Epoch restarts after lost workers so far (the restart budget's use).</summary>
    public int Restarts { get; init; }

    /// <summary>Membership changes: every join, loss and restart, in order (the whole history only; not in snapshots).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ImmutableList<IRunEvent> MembershipChanges { get; init; } = [];

    /// <summary>The newest resume state, if any: where a new process continues from.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ResumeStateSaved? LatestResumeState => ResumeStates.Count == 0 ? null : ResumeStates[^1];

    private ImmutableList<EpochCompleted> Trim(ImmutableList<EpochCompleted> epochs) =>
        KeepEpochs is { } keep && epochs.Count > keep ? epochs.RemoveRange(0, epochs.Count - keep) : epochs;

    /// <summary>The epoch to train next.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int NextEpoch => Epochs.Count == 0 ? 0 : Epochs[^1].Epoch + 1;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Finished => Completed is not null || Failed is not null;

    public RunState Apply(IRunEvent e) => e switch
    {
        RunStarted s => this with { Started = s, Members = s.Workers },
        EpochCompleted c => this with { Epochs = Trim(Epochs.Add(c)), EpochsRun = EpochsRun + 1 },
        LearningRateChanged c => KeepEpochs is null ? this with { LearningRateChanges = LearningRateChanges.Add(c) } : this,
        // A file saved again under the same name (save-last, a template without fields) replaces its entry.
        CheckpointSaved s => this with { Checkpoints = Checkpoints.RemoveAll(c => c.Saved.Path == s.Path && !c.Deleted).Add(new CheckpointEntry(s, false)) },
        CheckpointDeleted d => this with
        {
            Checkpoints = KeepEpochs is null
                ? Checkpoints.Select(c => c.Saved.Path == d.Path && !c.Deleted ? c with { Deleted = true } : c).ToImmutableList()
                : Checkpoints.RemoveAll(c => c.Saved.Path == d.Path),
        },
        BestWeightsSaved b => this with { BestWeights = b },
        BestWeightsDeleted => this, // the file's deletion is recorded for the history; BestWeights already names its successor
        TrainingStopped s => this with { Stop = s },
        BestWeightsRestored r => this with { Restored = r },
        RunCompleted c => this with { Completed = c },
        RunFailed f => this with { Failed = f },
        ResumeStateSaved r => this with { ResumeStates = ResumeStates.RemoveAll(x => x.Epoch == r.Epoch).Add(r) },
        ResumeStateDeleted d => this with { ResumeStates = ResumeStates.RemoveAll(x => x.Epoch == d.Epoch) },
        // A resumed run may have failed before (a journal fault): going on clears that.
        RunResumed r => this with { Resumes = Resumes.Add(r), Failed = null },
        CheckpointCorrupted c => this with { Corruptions = Corruptions.Add(c) },
        WorkerJoined j => this with { Members = j.Workers, MembershipChanges = KeepEpochs is null ? MembershipChanges.Add(j) : MembershipChanges },
        WorkerLost l => this with { Members = l.Workers, MembershipChanges = KeepEpochs is null ? MembershipChanges.Add(l) : MembershipChanges },
        EpochRestarted r => this with { Restarts = r.Restart, MembershipChanges = KeepEpochs is null ? MembershipChanges.Add(r) : MembershipChanges },
        // A run that ended at its old limit is no longer over: it goes on to the new one.
        EpochLimitChanged c => this with { ChangedEpochLimit = c.To, Completed = null, Restored = null },
        RunRewound r => this with
        {
            EpochsRun = EpochsRun - Epochs.Count(e => e.Epoch > r.ToEpoch),
            Epochs = Epochs.RemoveAll(e => e.Epoch > r.ToEpoch),
            LearningRateChanges = LearningRateChanges.RemoveAll(c => c.Epoch > r.ToEpoch),
            ResumeStates = ResumeStates.RemoveAll(x => x.Epoch > r.ToEpoch),
            Stop = Stop is { } s && s.Epoch > r.ToEpoch ? null : Stop,
            BestWeights = BestWeights is { } b && b.Epoch > r.ToEpoch ? null : BestWeights,
        },
        CallbackWarned => this, // said on the console and kept in the journal; nothing to fold
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "not a run event"),
    };
}

/// <summary>A checkpoint file and whether save-top-k has deleted it since.</summary>
public sealed record CheckpointEntry(CheckpointSaved Saved, bool Deleted);
