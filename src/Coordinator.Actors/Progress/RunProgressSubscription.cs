using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Progress;

/// <summary>
/// Subscribing to runs' progress on an ActorSystem's event stream. Subscribe before the supervisor starts (these
/// calls subscribe at once, not from the subscriber's PreStart), so that nothing it publishes is missed.
/// </summary>
public static class RunProgressSubscription
{
    /// <summary>Every run's progress in this system goes to <paramref name="subscriber"/> (which keeps its run's: <see cref="RunProgress.Update.RunId"/>).</summary>
    public static void Subscribe(EventStream stream, IActorRef subscriber) => stream.Subscribe(subscriber, typeof(RunProgress.Update));

    /// <summary>One run's progress goes to <paramref name="target"/> (e.g. a TestProbe), through a forwarder that keeps
    /// only that run's; returns the forwarder.</summary>
    public static IActorRef ForwardTo(ActorSystem system, string runId, IActorRef target)
    {
        var forwarder = system.ActorOf(Props.Create(() => new Forwarder(runId, target)));
        Subscribe(system.EventStream, forwarder);
        return forwarder;
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(string runId, IActorRef target) =>
            Receive<RunProgress.Update>(u => u.RunId == runId, u => target.Tell(u));
    }
}
