namespace Coordinator.Actors.Protocol;

/// <summary>What workers tell the supervisor.</summary>
public static class WorkerReports
{
    /// <summary>The worker's replica is built and it is ready for its first epoch.</summary>
    public sealed record WorkerReady(int Worker, int ParameterCount) : ICoordinatorMessage;

    /// <summary>One training step done: the loss summed over the worker's samples of that step.</summary>
    public sealed record BatchTrained(int Worker, int Epoch, int Step, double LossSum, int Count) : ICoordinatorMessage;

    /// <summary>
    /// The worker's share of an epoch: sums and counts for the training steps it ran and for its
    /// validation share, the bytes it sent to synchronise in this epoch, and a hash of its parameters (replicas
    /// that are meant to be identical must report the same hash).
    /// </summary>
    public sealed record EpochTrained(
        int Worker, int Epoch, int Steps,
        double LossSum, int Correct, int Count,
        double ValLossSum, int ValCorrect, int ValCount,
        long BytesSent, string ParameterHash) : ICoordinatorMessage;

    public sealed record CheckpointWritten(long RequestId, int Worker, string Path, string Sha256, long Bytes) : ICoordinatorMessage;

    public sealed record TrainingStateWritten(long RequestId, int Worker, string Path, string Sha256, long Bytes) : ICoordinatorMessage;

    public sealed record TrainingStateLoaded(long RequestId, int Worker, string ParameterHash) : ICoordinatorMessage;

    public sealed record WeightsLoaded(long RequestId, int Worker, string ParameterHash) : ICoordinatorMessage;

    public sealed record Evaluated(
        long RequestId, int Worker, double LossSum, int Correct, int Count,
        double ValLossSum, int ValCorrect, int ValCount) : ICoordinatorMessage;

    /// <summary>The worker cannot go on (its replica or training thread failed).</summary>
    public sealed record WorkerFailed(int Worker, string Reason) : ICoordinatorMessage;
}
