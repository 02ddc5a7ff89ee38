using Akka.Actor;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Cli.Hosting;
using Coordinator.Cli.Train;
using Coordinator.Core.Storage;
using Coordinator.Reporting;

namespace Coordinator.Cli.Distributed;

/// <summary>
/// The cluster singleton on the supervisor-role nodes: it hosts the run's <see cref="TrainingSupervisor"/>
/// (which recovers the run from the shared journal, so a standby taking over continues it) and this
/// node's observer, hands worker nodes their assignment, and forwards everything else (registrations)
/// to the supervisor, which answers workers itself.
/// </summary>
public sealed class SupervisorHost : ReceiveActor
{
    private int _assigned;

    public SupervisorHost(SupervisorSettings settings, NodeMessages.Assignment assignment, ITrainingProgress progress,
        TaskCompletionSource<RunOutcome> finished, int? tensorBoardUpdateFreq, ICheckpointStore? store)
    {
        var bridge = Context.ActorOf(ProgressBridge.Props(progress, finished, new TensorBoardTarget(settings.RunFolder, tensorBoardUpdateFreq)), "progress");
        Context.ActorOf(PluginStartWatch.Props(bridge), "plugin-start-watch");
        var supervisor = Context.ActorOf(TrainingSupervisor.Props(settings, bridge, store), "run");
        bridge.Tell(new ProgressBridge.WatchSupervisor(supervisor));

        Receive<NodeMessages.RequestAssignment>(_ => Sender.Tell(assignment with { WorkerIndex = _assigned++ }));
        ReceiveAny(message => supervisor.Forward(message));
    }

    public static Props Props(SupervisorSettings settings, NodeMessages.Assignment assignment, ITrainingProgress progress,
        TaskCompletionSource<RunOutcome> finished, int? tensorBoardUpdateFreq = null, ICheckpointStore? store = null) =>
        Akka.Actor.Props.Create(() => new SupervisorHost(settings, assignment, progress, finished, tensorBoardUpdateFreq, store));
}
