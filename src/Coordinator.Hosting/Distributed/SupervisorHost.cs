using Akka.Actor;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Cli.Hosting;
using Coordinator.Cli.Train;
using Coordinator.Core.Storage;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;

namespace Coordinator.Cli.Distributed;

/// <summary>
/// The cluster singleton on the supervisor-role nodes: it hosts the run's <see cref="TrainingSupervisor"/>
/// (which recovers the run from the shared journal, so a standby taking over continues it) and this node's
/// subscribers to its progress (the console, TensorBoard's events, the run's files); the supervisor publishes that
/// progress on this node's event stream and on the run's DistributedPubSub topic, for subscribers anywhere in the
/// cluster. It hands worker nodes their assignment, and forwards everything else (registrations) to the supervisor,
/// which answers workers itself.
/// </summary>
public sealed class SupervisorHost : ReceiveActor
{
    private int _assigned;

    public SupervisorHost(SupervisorSettings settings, NodeMessages.Assignment assignment, ITrainingProgress progress,
        TaskCompletionSource<RunOutcome> finished, TaskCompletionSource<RunSummary> written, int? tensorBoardUpdateFreq, ICheckpointStore? store)
    {
        var (stream, runId) = (Context.System.EventStream, settings.RunId);
        var bridge = ProgressBridge.Start(Context, stream, runId, progress, finished);
        TensorBoardWriter.Start(Context, stream, runId, new TensorBoardTarget(settings.RunFolder, tensorBoardUpdateFreq));
        RunFilesWriter.Start(Context, stream, runId, settings.RunFolder, wall: null, written);
        Context.ActorOf(PluginStartWatch.Props(runId), "plugin-start-watch");
        var publisher = new RunProgressPublisher(runId, stream, ClusterProgressTopic.For(Context.System, runId));
        var supervisor = Context.ActorOf(TrainingSupervisor.Props(settings, publisher, store), "run");
        bridge.Tell(new ProgressBridge.WatchSupervisor(supervisor));

        Receive<NodeMessages.RequestAssignment>(_ => Sender.Tell(assignment with { WorkerIndex = _assigned++ }));
        ReceiveAny(message => supervisor.Forward(message));
    }

    public static Props Props(SupervisorSettings settings, NodeMessages.Assignment assignment, ITrainingProgress progress,
        TaskCompletionSource<RunOutcome> finished, TaskCompletionSource<RunSummary> written, int? tensorBoardUpdateFreq = null, ICheckpointStore? store = null) =>
        Akka.Actor.Props.Create(() => new SupervisorHost(settings, assignment, progress, finished, written, tensorBoardUpdateFreq, store));
}
