using Coordinator.Core.Data;
using Coordinator.Core.Metrics;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;

namespace Coordinator.Training;

/// <summary>
/// Builds <see cref="TorchReplica"/>s that share the data, model, optimizer and seed of a run: every replica
/// starts with the same parameters, and worker i's dropout masks come from its own generator seeded from
/// (seed, i). Construct it on the main thread before any tensor exists: it fixes torch's process-wide
/// intra-op thread count (<see cref="TorchRuntime.SetNumThreads"/>); then call <see cref="Create"/> on each
/// worker's own thread.
/// </summary>
public sealed class TorchReplicaFactory : IReplicaFactory
{
    public TorchReplicaFactory(DataSplit data, ModelSettings model, OptimizerSettings optimizer, long seed, int threads)
    {
        ArgumentNullException.ThrowIfNull(model);
        TorchReplica.CheckCompatible(data);
        TorchReplica.CheckSettings(optimizer);
        _ = TorchReplica.ToMlpActivation(model.Activation);
        if (model.Dropout is < 0 or >= 1 || double.IsNaN(model.Dropout))
        {
            throw new ArgumentOutOfRangeException(nameof(model), model.Dropout, "Dropout must be in [0, 1).");
        }

        if (model.Hidden.Any(size => size < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(model), "Hidden layer sizes must be 1 or more.");
        }

        TorchRuntime.SetNumThreads(threads);
        (Data, Model, Optimizer, Seed, Threads) = (data, model, optimizer, seed, threads);
    }

    public DataSplit Data { get; }

    public ModelSettings Model { get; }

    public OptimizerSettings Optimizer { get; }

    public long Seed { get; }

    public int Threads { get; }

    public IReplica Create(int worker) => CreateReplica(worker);

    public IReadOnlyList<MetricDefinition> Metrics => TorchReplica.Metrics;

    /// <summary><see cref="Create"/> with the concrete type (for training-state checkpoints).</summary>
    public TorchReplica CreateReplica(int worker) => new(Data, Model, Optimizer, Seed, worker);
}
