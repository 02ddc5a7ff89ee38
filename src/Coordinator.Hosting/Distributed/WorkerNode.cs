using Akka.Actor;
using Akka.Event;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Workers;
using Coordinator.Core.Replicas;

namespace Coordinator.Cli.Distributed;

/// <summary>
/// A worker node's one worker: asks the supervisor (through the singleton proxy) for its assignment
/// until one comes, builds the replica factory from it, starts the <see cref="TrainingWorker"/> (which
/// registers through the same proxy), and completes <paramref name="done"/> when the worker stops
/// (the run ended, or it failed). Phases: asking, working.
/// </summary>
public sealed class WorkerNode : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public WorkerNode(IActorRef proxy, string node, Func<NodeMessages.Assignment, (WorkerSetup Setup, IReplicaFactory Factory)> build,
        TextWriter output, TaskCompletionSource<int> done)
    {
        Receive<AskAgain>(_ => proxy.Tell(new NodeMessages.RequestAssignment(node)));
        Receive<NodeMessages.Assignment>(assignment =>
        {
            Timers.Cancel("ask");
            try
            {
                var (setup, factory) = build(assignment);
                var worker = Context.ActorOf(TrainingWorker.Props(setup with { Name = $"{node}/worker" }, factory, proxy), "worker");
                Context.Watch(worker);
                output.WriteLine($"working on run {assignment.RunId} as {node}/worker");
                Become(() =>
                {
                    Receive<WorkerCommands.RegistrationRejected>(r =>
                    {
                        output.WriteLine($"error: {r.Reason}; this node stops");
                        done.TrySetResult(ExitCodes.Failed);
                    });
                    Receive<Terminated>(_ =>
                    {
                        output.WriteLine("the worker stopped: the run is over for this node");
                        done.TrySetResult(ExitCodes.Ok);
                    });
                    Receive<NodeMessages.Assignment>(_ => { }); // answers to earlier requests
                });
            }
            catch (Exception e)
            {
                _log.Error(e, "could not set up the worker");
                output.WriteLine($"error: could not set up the worker for run {assignment.RunId}: {e.Message}");
                done.TrySetResult(ExitCodes.Failed);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef proxy, string node, Func<NodeMessages.Assignment, (WorkerSetup, IReplicaFactory)> build,
        TextWriter output, TaskCompletionSource<int> done) =>
        Akka.Actor.Props.Create(() => new WorkerNode(proxy, node, build, output, done));

    protected override void PreStart()
    {
        Self.Tell(AskAgain.Instance);
        Timers.StartPeriodicTimer("ask", AskAgain.Instance, TimeSpan.FromSeconds(1));
    }

    // A worker that stops is not restarted: its replica would no longer match the others.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private sealed class AskAgain : INoSerializationVerificationNeeded
    {
        public static readonly AskAgain Instance = new();
    }
}
