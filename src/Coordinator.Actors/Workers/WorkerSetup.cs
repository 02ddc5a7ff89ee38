using Coordinator.Core.Data;
using Coordinator.Core.Model;

namespace Coordinator.Actors.Workers;

/// <summary>What every worker of a run knows: its place in the ring and how the data is cut.</summary>
/// <param name="Worker">0-based index; worker i sends allreduce chunks to worker i + 1 (mod N).</param>
/// <param name="TrainCount">Samples in the training set (all workers hold the same split).</param>
/// <param name="ValidationCount">Samples in the validation set.</param>
public sealed record WorkerSetup(
    int Worker, int Workers, int TrainCount, int ValidationCount, int BatchSize, long Seed, bool Shuffle,
    SyncMode Sync, int SyncEvery)
{
    public ShardPlan Plan() => new(TrainCount, BatchSize, Workers, Seed, Shuffle);

    /// <summary>Actor name of worker <paramref name="index"/>; the ring is found by these names.</summary>
    public static string ActorName(int index) => $"worker-{index}";
}
