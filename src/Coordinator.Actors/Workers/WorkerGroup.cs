using Akka.Actor;
using Coordinator.Core.Replicas;

namespace Coordinator.Actors.Workers;

/// <summary>
/// The parent of one process's workers: creates them side by side, each registering with the
/// supervisor (or its proxy), and stops a worker that throws rather than restarting it, since a
/// restarted replica would no longer match the others.
/// </summary>
public sealed class WorkerGroup : ReceiveActor
{
    public WorkerGroup(WorkerSetup template, IEnumerable<int> workers, IReplicaFactory factory, IActorRef supervisor)
    {
        foreach (var i in workers)
            Context.ActorOf(TrainingWorker.Props(template with { Index = i, Name = WorkerSetup.ActorName(i) }, factory, supervisor),
                WorkerSetup.ActorName(i));
    }

    public static Props Props(WorkerSetup template, IEnumerable<int> workers, IReplicaFactory factory, IActorRef supervisor) =>
        Akka.Actor.Props.Create(() => new WorkerGroup(template, workers.ToArray(), factory, supervisor));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);
}
