using Coordinator.Core.Data;
using Coordinator.Core.Model;

namespace Coordinator.Core;

/// <summary>Where the data comes from and how it is split.</summary>
public sealed record DataSettings(string Path, CsvFormat Format, double ValidationSplit = 0.2, bool Shuffle = true);

/// <summary>The training loop: epochs, batches, workers and how their replicas stay in sync.</summary>
public sealed record TrainingSettings(
    int Epochs = 50,
    int BatchSize = 32,
    int Workers = 2,
    long Seed = 42,
    SyncMode Sync = SyncMode.Gradients,
    int SyncEvery = 8,
    TimeSpan? EpochTimeout = null,
    int ThreadsPerWorker = 0,
    int SnapshotEvery = 100)
{
    /// <summary>Elastic membership: default exactly <see cref="Workers"/> workers, and 3 epoch restarts.</summary>
    public MembershipLimits Membership { get; init; } = MembershipLimits.Fixed(Workers, maxRestarts: 3);

    /// <summary>Samples per step over all members: batch-size per worker of the configured workers. It stays
    /// this size when workers are lost or join (members share it), as DeepSpeed's elastic training keeps its
    /// global batch, so membership changes never change the optimisation.</summary>
    public int GlobalBatch => checked(BatchSize * Workers);
}

/// <summary>A whole run's settings apart from the callbacks.</summary>
public sealed record RunSettings(DataSettings Data, ModelSettings Model, OptimizerSettings Optimizer, TrainingSettings Training)
{
    public ReportingSettings Reporting { get; init; } = ReportingSettings.Default;

    /// <summary>Intra-op threads per worker: as set, or the cores shared out so that workers x threads &lt;= cores.</summary>
    public int ThreadsPerWorker(int cores) =>
        Training.ThreadsPerWorker > 0 ? Training.ThreadsPerWorker : Math.Max(1, cores / Training.Workers);
}

/// <summary>What the run writes for people and tools besides its journal.</summary>
/// <param name="TensorBoardUpdateFreq">Null: TensorBoard gets epoch scalars only (Keras's <c>update_freq = "epoch"</c>);
/// N: also the running loss every N batches (Keras's integer <c>update_freq</c>; 1 = "batch").</param>
public sealed record ReportingSettings(int? TensorBoardUpdateFreq = null)
{
    public static readonly ReportingSettings Default = new();
}
