using Coordinator.Actors.Protocol;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision.Decider;

/// <summary>What the decider concluded: events to persist (in one batch), then effects to carry out, in order.</summary>
public sealed record Decision(IReadOnlyList<IRunEvent> Events, IReadOnlyList<SupervisorEffect> Effects)
{
    public static Decision Of(IReadOnlyList<IRunEvent> events, params SupervisorEffect[] effects) => new(events, effects);
}

/// <summary>What the supervisor does once a decision's events are stored. Plain data: the decider's tests read them.</summary>
public abstract record SupervisorEffect
{
    /// <summary>Publish this progress (through the supervisor's <c>RunProgressPublisher</c>).</summary>
    public sealed record Report(RunProgress.Update Progress) : SupervisorEffect;

    /// <summary>The run fails with this reason (persisted as <c>RunFailed</c>).</summary>
    public sealed record FailRun(string Reason) : SupervisorEffect;

    /// <summary>The run is already over: report how it ended, persist nothing.</summary>
    public sealed record ReportOutcome(Coordinator.Core.Reporting.RunStatus Status) : SupervisorEffect;

    /// <summary>A new run: the callbacks' train-begin, then epoch 0.</summary>
    public sealed record BeginFirstEpoch : SupervisorEffect;

    /// <summary>A run a previous process left: check its resume states and go on from the newest that verifies.</summary>
    public sealed record ResumeRun : SupervisorEffect;

    /// <summary>Abort the epoch in flight with the remaining members and train it again.</summary>
    public sealed record RestartEpoch(int Epoch) : SupervisorEffect;

    /// <summary>Go on from the state after <see cref="Epoch"/> (-1: the start), restoring the callbacks' state of that epoch.</summary>
    public sealed record GoOnFrom(int Epoch) : SupervisorEffect;
}
