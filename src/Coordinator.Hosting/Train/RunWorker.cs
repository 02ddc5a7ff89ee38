using Coordinator.Actors.Workers;
using Coordinator.Core;
using Coordinator.Core.Data;
using Coordinator.Core.Replicas;
using Coordinator.Training;

namespace Coordinator.Cli.Train;

/// <summary>What a run's worker is given, built the same way in a local run and on a cluster node.</summary>
public static class RunWorker
{
    public static WorkerSetup Setup(int index, RunSettings settings, DataSplit split) =>
        new(index, split.Train.Count, split.Validation.Count, settings.Training.GlobalBatch, settings.Training.Seed, settings.Data.Shuffle,
            settings.Training.Sync, settings.Training.SyncEvery);

    public static IReplicaFactory Factory(RunSettings settings, DataSplit split, int threads) =>
        new TorchReplicaFactory(split, settings.Model, settings.Optimizer, settings.Training.Seed, threads);
}
