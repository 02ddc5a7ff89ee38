using Coordinator.Core.Metrics;

namespace Coordinator.Actors.Protocol;

/// <summary>What workers tell the supervisor. <c>Worker</c> is the worker's rank in the epoch it reports on.</summary>
public static class WorkerReports
{
    /// <summary>The worker's replica is built; it asks to take part in the run (again, after a supervisor
    /// hand-over). <see cref="Name"/> identifies it in events and messages. <see cref="DataSha256"/> is the SHA-256 of
    /// the data file it read (null: it reads the same file as the supervisor, in the same process); the supervisor
    /// rejects a worker whose data is not the run's.</summary>
    public sealed record RegisterWorker(string Name, int ParameterCount, string? DataSha256 = null) : ICoordinatorMessage;

    /// <summary>One training step done: the loss summed over the worker's samples of that step.</summary>
    public sealed record BatchTrained(int Worker, int Epoch, int Step, double LossSum, int Count, long Version) : ICoordinatorMessage;

    /// <summary>
    /// The worker's share of an epoch: each metric's sum and count, by name, for the training steps it ran
    /// (<see cref="Train"/>) and for its validation share (<see cref="Validation"/>, named without <c>val_</c>), the bytes it sent to synchronise in this epoch, and a hash of its parameters (replicas
    /// that are meant to be identical must report the same hash). <see cref="Version"/> is the attempt's.
    /// </summary>
    public sealed record EpochTrained(
        int Worker, int Epoch, int Steps,
        IReadOnlyList<MetricSum> Train, IReadOnlyList<MetricSum> Validation,
        long BytesSent, string ParameterHash, long Version) : ICoordinatorMessage;

    /// <summary>The worker let go of the attempt <see cref="Version"/> of <see cref="Epoch"/>.</summary>
    public sealed record EpochAborted(int Epoch, long Version) : ICoordinatorMessage;

    public sealed record WeightsCaptured(long RequestId, byte[] Weights) : ICoordinatorMessage, TransferMessages.ILargeMessage;

    public sealed record TrainingStateCaptured(long RequestId, byte[] State) : ICoordinatorMessage, TransferMessages.ILargeMessage;

    public sealed record TrainingStateHashed(long RequestId, string Sha256) : ICoordinatorMessage;

    public sealed record TrainingStateLoaded(long RequestId, string ParameterHash) : ICoordinatorMessage;

    public sealed record WeightsLoaded(long RequestId, string ParameterHash) : ICoordinatorMessage;

    /// <summary>The model kept, evaluated on the worker's shares: each metric's sum and count, by name.</summary>
    public sealed record Evaluated(
        long RequestId, IReadOnlyList<MetricSum> Train, IReadOnlyList<MetricSum> Validation) : ICoordinatorMessage;

    /// <summary>The worker cannot go on (its replica or training thread failed).</summary>
    public sealed record WorkerFailed(string Name, string Reason) : ICoordinatorMessage;
}
