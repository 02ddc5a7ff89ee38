using System.Text.Json.Serialization;
using Akka.Actor;
using Coordinator.Core.Reporting;

namespace Coordinator.Actors.Protocol;

/// <summary>
/// What the supervisor tells workers. Commands that steer training carry a <c>Version</c> (the
/// supervisor's journal position when it sent them): a worker ignores a command older than the
/// newest it has seen, so a supervisor that was replaced cannot steer it, and every
/// <see cref="StartEpoch"/> carries all a worker needs (epoch, rate, its rank, the ring), so a
/// missed command is superseded by the next one.
/// </summary>
public static class WorkerCommands
{
    /// <summary>The worker is a member of the run; <c>Sender</c> is the supervisor to watch.</summary>
    public sealed record Registered(long Version, string RunId) : ICoordinatorMessage;

    /// <summary>The run has as many workers as it takes (max-workers); the worker asks again later.</summary>
    public sealed record RegistrationRefused(string Reason) : ICoordinatorMessage;

    /// <summary>The worker cannot take part in this run (its data is not the run's data, by SHA-256): it stops
    /// and tells its parent (a worker node reports it and exits with an error).</summary>
    public sealed record RegistrationRejected(string Reason) : ICoordinatorMessage;

    /// <summary>
    /// Train one epoch at this learning rate as member <see cref="Rank"/> of <see cref="Ring"/>
    /// (worker i sends allreduce chunks to Ring[i + 1 mod N] and trains on shard i of N), then report.
    /// <see cref="Version"/> also names this attempt of the epoch: an epoch restarted after a lost
    /// worker is a new attempt, and chunks of an older attempt are dropped.
    /// </summary>
    public sealed record StartEpoch(long Version, int Epoch, double LearningRate, int Rank, IReadOnlyList<IActorRef> Ring)
        : ICoordinatorMessage;

    /// <summary>Stop training in this epoch at the next synchronisation point, then report the epoch.</summary>
    public sealed record StopEpoch(long Version, int Epoch) : ICoordinatorMessage;

    /// <summary>Abandon the attempt in flight (a peer was lost) and reply <see cref="WorkerReports.EpochAborted"/>
    /// once the training thread has let go of it.</summary>
    public sealed record AbortEpoch(long Version, int Epoch) : ICoordinatorMessage;

    /// <summary>Reply with the replica's weights (the tensor library's format) for the supervisor to store.</summary>
    public sealed record CaptureWeights(long RequestId) : ICoordinatorMessage;

    /// <summary>Reply with the whole training state (weights, optimizer state, generator state) for resuming.</summary>
    public sealed record CaptureTrainingState(long RequestId) : ICoordinatorMessage;

    /// <summary>Reply with the SHA-256 of the training state <see cref="CaptureTrainingState"/> would hand over
    /// (replicas in step hold the same state, often to the byte: then one copy is stored for all).</summary>
    public sealed record HashTrainingState(long RequestId) : ICoordinatorMessage;

    /// <summary>Load these weights (every member, so the replicas stay identical).</summary>
    public sealed record LoadWeights(long RequestId, byte[] Weights) : ICoordinatorMessage, TransferMessages.ILargeMessage;

    /// <summary>Load a training state captured earlier (verified by the supervisor); null rebuilds the
    /// replica as it was at the start of the run (the seed decides it).</summary>
    public sealed record LoadTrainingState(long RequestId, byte[]? State) : ICoordinatorMessage, TransferMessages.ILargeMessage;

    /// <summary>Evaluate the current replica on share <see cref="Rank"/> of <see cref="Workers"/> of the training and validation sets.</summary>
    public sealed record Evaluate(long RequestId, int Rank, int Workers) : ICoordinatorMessage;

    /// <summary>The run is over (completed, stopped or failed): the worker stops.</summary>
    public sealed record RunEnded(long Version, [property: JsonConverter(typeof(RunStatusConverter))] RunStatus Outcome) : ICoordinatorMessage;
}
