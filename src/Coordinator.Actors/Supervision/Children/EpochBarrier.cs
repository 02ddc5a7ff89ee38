using Akka.Actor;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision.Decider;

namespace Coordinator.Actors.Supervision.Children;

/// <summary>
/// One attempt at one epoch: starts it on every member (as the supervisor, whom workers report to) and
/// closes when every member has reported the epoch (the supervisor forwards the reports), or tells the
/// supervisor who was silent when the epoch timeout ends. The supervisor stops it when a member is lost.
/// (Batch reports stay with the supervisor: a stop decided at a batch must reach the workers before the
/// supervisor handles anything after that batch.)
/// </summary>
internal sealed class EpochBarrier : ReceiveActor, IWithTimers
{
    public sealed record Spec(long Version, int Epoch, double LearningRate, IReadOnlyList<IActorRef> Ring,
        IReadOnlyList<string> Names, TimeSpan Timeout, IActorRef Supervisor);

    /// <summary>Every member reported the epoch: their reports, by worker.</summary>
    public sealed record Passed(long Version, IReadOnlyList<WorkerReports.EpochTrained> Reports) : INoSerializationVerificationNeeded;

    public sealed record TimedOut(long Version, string Reason) : INoSerializationVerificationNeeded;

    private sealed record Deadline : INoSerializationVerificationNeeded;

    private readonly Spec _spec;
    private readonly BarrierTally<IActorRef> _tally;

    public EpochBarrier(Spec spec)
    {
        _spec = spec;
        _tally = new BarrierTally<IActorRef>(spec.Ring);
        var (version, epoch) = (spec.Version, spec.Epoch);
        Receive<WorkerReports.EpochTrained>(r => r.Epoch == epoch && r.Version == version, report =>
        {
            if (_tally.Add(Sender, report) is not { } all) return;
            Context.Parent.Tell(new Passed(version, all));
            Context.Stop(Self);
        });
        Receive<Deadline>(_ =>
        {
            var silent = _tally.Silent.Select(w => spec.Names[spec.Ring.ToList().IndexOf(w)]);
            Context.Parent.Tell(new TimedOut(version, BarrierTally.TimeoutReason(silent, epoch, spec.Timeout)));
            Context.Stop(Self);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Spec spec) => Akka.Actor.Props.Create(() => new EpochBarrier(spec));

    // The timer first: a worker told to start may wait for (virtual) time at once, and the deadline must be set by then.
    protected override void PreStart()
    {
        Timers.StartSingleTimer("epoch-timeout", new Deadline(), _spec.Timeout);
        for (var rank = 0; rank < _spec.Ring.Count; rank++)
            _spec.Ring[rank].Tell(new WorkerCommands.StartEpoch(_spec.Version, _spec.Epoch, _spec.LearningRate, rank, _spec.Ring), _spec.Supervisor);
    }
}
