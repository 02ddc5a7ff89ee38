using Coordinator.Core.Data;
using Coordinator.Core.Model;
using Coordinator.Core.Storage;

namespace Coordinator.Actors.Workers;

/// <summary>What a worker knows before it joins a run: how the data is cut and synchronised. Its rank
/// and the ring come with each epoch (membership can change between epochs).</summary>
/// <param name="Index">This process's index for the worker: names it and seeds its replica's dropout generator.</param>
/// <param name="TrainCount">Samples in the training set (all workers hold the same split).</param>
/// <param name="ValidationCount">Samples in the validation set.</param>
/// <param name="GlobalBatch">Samples per step over all members (the configured batch-size x workers): fixed for
/// the run, so when membership changes each member's share changes and the optimisation does not.</param>
public sealed record WorkerSetup(
    int Index, int TrainCount, int ValidationCount, int GlobalBatch, long Seed, bool Shuffle,
    SyncMode Sync, int SyncEvery)
{
    /// <summary>How often a worker asks the supervisor again to register (not yet answered, refused, or after a hand-over).</summary>
    public TimeSpan RegisterRetry { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Crash tests' fault injection in the training loop (held steps), set by the host; none otherwise.</summary>
    public FaultInjection Faults { get; init; } = FaultInjection.None;

    /// <summary>The name the worker registers under; unique within the run (a node prefixes its address).</summary>
    public string Name { get; init; } = ActorName(Index);

    /// <summary>The SHA-256 of the data file this worker read, for the supervisor to check against the run's
    /// (a worker node reads its own copy); null when the supervisor's process read it (nothing to check).</summary>
    public string? DataSha256 { get; init; }

    public ShardPlan Plan(int workers) => new(TrainCount, GlobalBatch, workers, Seed, Shuffle);

    /// <summary>Actor name of local worker <paramref name="index"/>.</summary>
    public static string ActorName(int index) => $"worker-{index}";
}
