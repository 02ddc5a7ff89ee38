using Akka.Actor;

namespace Coordinator.Testing.Simulation;

/// <summary>
/// The simulation's own messages between simulated workers, the supervisor proxy and the scenario
/// runner: not the coordinator's protocol, so never serialized.
/// </summary>
internal static class SimulationMessages
{
    /// <summary>A worker stopped before playing <see cref="Epoch"/> because the scenario does something there
    /// (a worker registers, the supervisor is restarted); it waits for <see cref="Release"/>. Every member holds,
    /// so nothing of the epoch happens before the scenario's action (not even a worker lost at its first batch).</summary>
    public sealed record Holding(string Worker, int Epoch, long Version) : INoSerializationVerificationNeeded;

    public sealed record Release(long Version) : INoSerializationVerificationNeeded;

    /// <summary>A worker scheduled a report at virtual time <see cref="Due"/> (from the scenario's start).</summary>
    public sealed record WaitingForTime(string Worker, TimeSpan Due) : INoSerializationVerificationNeeded;

    /// <summary>A joiner's cue to register now; it answers <see cref="Joined"/> once registered.</summary>
    public sealed record JoinNow : INoSerializationVerificationNeeded
    {
        public static readonly JoinNow Instance = new();
    }

    /// <summary>A joiner registered, or was refused (<see cref="Refused"/> says why).</summary>
    public sealed record Joined(string Worker, string? Refused) : INoSerializationVerificationNeeded;

    /// <summary>Stands in for the allreduce of one step: a worker goes on to the next step once every peer has
    /// sent it this for the step (so every worker stops after the same step when the supervisor says so).</summary>
    public sealed record StepDone(long Version, int Step) : INoSerializationVerificationNeeded;

    /// <summary>A slow worker's report is due.</summary>
    public sealed record ReportDue(long Version) : INoSerializationVerificationNeeded;

    /// <summary>As TrainingWorker's registration retry: register again if not a member.</summary>
    public sealed record RegisterAgain : INoSerializationVerificationNeeded
    {
        public static readonly RegisterAgain Instance = new();
    }

    /// <summary>The proxy forwards registrations to <see cref="Supervisor"/>, first those it holds once it holds
    /// one from every live worker it knows and at least <see cref="Workers"/> in all.</summary>
    public sealed record Attach(IActorRef Supervisor, int Workers) : INoSerializationVerificationNeeded;

    /// <summary>The proxy keeps registrations until the next <see cref="Attach"/>; it answers <see cref="Detached"/>.</summary>
    public sealed record Detach : INoSerializationVerificationNeeded
    {
        public static readonly Detach Instance = new();
    }

    public sealed record Detached : INoSerializationVerificationNeeded
    {
        public static readonly Detached Instance = new();
    }
}
