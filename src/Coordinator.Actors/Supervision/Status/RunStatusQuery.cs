using Akka.Actor;

namespace Coordinator.Actors.Supervision.Status;

/// <summary>What the supervisor is doing now (its explicit phase).</summary>
public enum SupervisorPhase
{
    WaitingForWorkers,
    Resuming,
    AdmittingJoiners,
    TrainingEpoch,
    RestartingEpoch,
    EndingEpoch,
    Finishing,
    Done,
    JournalFaulted,
}

/// <summary>"What is the run doing now?": asked of the supervisor in any phase. Local: a host, a web page's actor, a test.</summary>
public sealed record GetRunStatus : INoSerializationVerificationNeeded
{
    public static readonly GetRunStatus Instance = new();
}

/// <param name="Epoch">The epoch in flight (0-based), or the next one between epochs.</param>
/// <param name="Members">The members' names in ring order.</param>
/// <param name="Joiners">Workers that registered mid-run and join at the next epoch.</param>
/// <param name="LastEpoch">The last epoch stored (-1: none yet), with its aggregated logs.</param>
public sealed record CurrentRunStatus(
    string RunId, SupervisorPhase Phase, int Epoch, int Epochs, IReadOnlyList<string> Members, IReadOnlyList<string> Joiners,
    int LastEpoch, IReadOnlyDictionary<string, double> LastLogs) : INoSerializationVerificationNeeded;
