using System.Collections.Immutable;
using Coordinator.Actors.Events;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.State;

/// <summary>
/// The supervisor's state as a pure fold over its events: what has been decided so far.
/// <see cref="Apply"/> is the only way it changes, in recovery and in live operation alike.
/// </summary>
public sealed record RunState
{
    public static readonly RunState Empty = new();

    public RunStarted? Started { get; init; }
    public ImmutableList<EpochCompleted> Epochs { get; init; } = [];
    public ImmutableList<LearningRateChanged> LearningRateChanges { get; init; } = [];
    public ImmutableList<(CheckpointSaved Saved, bool Deleted)> Checkpoints { get; init; } = [];
    public TrainingStopped? Stop { get; init; }
    public BestWeightsRestored? Restored { get; init; }
    public RunCompleted? Completed { get; init; }
    public RunFailed? Failed { get; init; }

    /// <summary>The epoch to train next.</summary>
    public int NextEpoch => Epochs.Count == 0 ? 0 : Epochs[^1].Epoch + 1;

    public bool Finished => Completed is not null || Failed is not null;

    public RunState Apply(IRunEvent e) => e switch
    {
        RunStarted s => this with { Started = s },
        EpochCompleted c => this with { Epochs = Epochs.Add(c) },
        LearningRateChanged c => this with { LearningRateChanges = LearningRateChanges.Add(c) },
        CheckpointSaved s => this with { Checkpoints = Checkpoints.RemoveAll(c => c.Saved.Path == s.Path && !c.Deleted && s.Kind == "last" && c.Saved.Kind == "last").Add((s, false)) },
        CheckpointDeleted d => this with
        {
            Checkpoints = Checkpoints.Select(c => c.Saved.Path == d.Path && !c.Deleted ? (c.Saved, true) : c).ToImmutableList(),
        },
        TrainingStopped s => this with { Stop = s },
        BestWeightsRestored r => this with { Restored = r },
        RunCompleted c => this with { Completed = c },
        RunFailed f => this with { Failed = f },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "not a run event"),
    };
}
