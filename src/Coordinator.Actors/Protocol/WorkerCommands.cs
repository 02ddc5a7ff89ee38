namespace Coordinator.Actors.Protocol;

/// <summary>What the supervisor tells workers.</summary>
public static class WorkerCommands
{
    /// <summary>Train one epoch at this learning rate, then report.</summary>
    public sealed record StartEpoch(int Epoch, double LearningRate) : ICoordinatorMessage;

    /// <summary>Stop training in this epoch at the next synchronisation point, then report the epoch.</summary>
    public sealed record StopEpoch(int Epoch) : ICoordinatorMessage;

    /// <summary>Write the replica's weights to <see cref="Path"/> atomically and reply <see cref="WorkerReports.CheckpointWritten"/>.</summary>
    public sealed record WriteCheckpoint(long RequestId, string Path) : ICoordinatorMessage;

    /// <summary>Load the weights in <see cref="Path"/> (all workers, so the replicas stay identical).</summary>
    public sealed record LoadWeights(long RequestId, string Path) : ICoordinatorMessage;

    /// <summary>Write the worker's whole training state (for resuming) to <see cref="Path"/> atomically.</summary>
    public sealed record WriteTrainingState(long RequestId, string Path) : ICoordinatorMessage;

    /// <summary>Load a training state written by <see cref="WriteTrainingState"/> (the supervisor has verified it).</summary>
    public sealed record LoadTrainingState(long RequestId, string Path) : ICoordinatorMessage;

    /// <summary>Evaluate the current replica on this worker's share of the training and validation sets.</summary>
    public sealed record Evaluate(long RequestId) : ICoordinatorMessage;
}
