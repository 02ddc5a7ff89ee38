using Akka.Actor;
using Coordinator.Actors.Protocol;
using static Coordinator.Testing.Simulation.SimulationMessages;

namespace Coordinator.Testing.Simulation;

/// <summary>
/// Where simulated workers register, as real ones register through a cluster singleton proxy: it
/// forwards registrations to the supervisor of the moment. While there is none (before the first, or
/// between a supervisor's end and the next one's start) it keeps them, and it hands them to a newly
/// attached supervisor only once every live worker it knows (and at least as many as the scenario
/// starts with) has registered, in name order. So the supervisor sees the same registrations in the
/// same order on every run, and the members it starts with never depend on which worker was quicker.
/// </summary>
internal sealed class SupervisorProxy : ReceiveActor
{
    private readonly Dictionary<IActorRef, string> _workers = [];
    private readonly Dictionary<IActorRef, WorkerReports.RegisterWorker> _held = [];
    private IActorRef? _supervisor;
    private Attach? _attaching;

    public SupervisorProxy()
    {
        Receive<Attach>(a =>
        {
            _attaching = a;
            Context.Watch(a.Supervisor);
            // Workers that were refused, or whose registration went to a supervisor that was stopping, register again.
            foreach (var w in _workers.Keys) w.Tell(RegisterAgain.Instance);
            ForwardWhenComplete();
        });
        Receive<Detach>(_ =>
        {
            _supervisor = null;
            Sender.Tell(Detached.Instance);
        });
        Receive<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_supervisor)) _supervisor = null;
            if (_workers.Remove(t.ActorRef)) _held.Remove(t.ActorRef);
            ForwardWhenComplete();
        });
        Receive<WorkerReports.RegisterWorker>(r =>
        {
            if (_workers.TryAdd(Sender, r.Name)) Context.Watch(Sender);
            if (_supervisor is not null) _supervisor.Forward(r);
            else
            {
                _held[Sender] = r;
                ForwardWhenComplete();
            }
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new SupervisorProxy());

    private void ForwardWhenComplete()
    {
        if (_attaching is not { } attach || _held.Count < attach.Workers || !_workers.Keys.All(_held.ContainsKey)) return;
        (_supervisor, _attaching) = (attach.Supervisor, null);
        foreach (var (worker, registration) in _held.OrderBy(h => h.Value.Name, StringComparer.Ordinal))
            _supervisor.Tell(registration, worker);
        _held.Clear();
    }
}
