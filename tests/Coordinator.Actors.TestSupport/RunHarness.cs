using Akka.Actor;
using Akka.TestKit;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Actors.Workers;
using Coordinator.Callbacks;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;
using Coordinator.Core.Reporting;
using Coordinator.Testing.Persistence;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.TestSupport;

/// <summary>
/// A real supervisor and real workers (on <see cref="LinearReplica"/>s) in a TestKit, for the actor and
/// recovery tests; an incarnation stands for one process of the run (a run id and folder given again
/// resume it).
/// </summary>
public sealed class RunHarness
{
    private readonly Akka.TestKit.Xunit2.TestKit _kit;

    public RunHarness(Akka.TestKit.Xunit2.TestKit kit, int workers, int batchSize, IReadOnlyList<CallbackSettings> callbacks,
        int epochs = 5, double lr = 0.05, SyncMode sync = SyncMode.Gradients, int syncEvery = 4, int train = 96,
        Func<int, int, int, double>? loss = null, string? runId = null, string? folder = null, int incarnation = 1,
        int snapshotEvery = 100, Func<LinearReplicaFactory, IReplicaFactory>? replicas = null)
    {
        _kit = kit;
        RunId = runId ?? Guid.NewGuid().ToString("N")[..8];
        Folder = folder ?? Path.Combine(Path.GetTempPath(), "coordinator-actor-tests", RunId);
        Factory = new LinearReplicaFactory(features: 3, loss);
        var factory = replicas?.Invoke(Factory) ?? Factory; // a test's own replicas, over the linear ones
        Observer = kit.CreateTestProbe();
        var setup = new WorkerSetup(0, train, 32, batchSize * workers, Seed: 7, Shuffle: true, sync, syncEvery);
        Settings = new SupervisorSettings(RunId, Folder, workers, epochs, setup.Plan(workers).StepsPerEpoch, callbacks, lr,
            sync.ToString().ToLowerInvariant(), 7, "sha", TimeSpan.FromSeconds(20), snapshotEvery) { Metrics = factory.Metrics };
        // The observer subscribes to this run's progress before the supervisor starts publishing it.
        RunProgressSubscription.ForwardTo(kit.Sys, RunId, Observer);
        Supervisor = kit.Sys.ActorOf(TrainingSupervisor.Props(Settings, RunProgressPublisher.For(kit.Sys, RunId)), $"supervisor-{RunId}-{incarnation}");
        WorkerGroup = kit.Sys.ActorOf(Workers.WorkerGroup.Props(setup, Enumerable.Range(0, workers), factory, Supervisor),
            $"workers-{RunId}-{incarnation}");
        Observer.Watch(Supervisor); // so that a supervisor stopping without a word ends the wait at once
    }

    public string RunId { get; }
    public string Folder { get; }
    public LinearReplicaFactory Factory { get; }
    public TestProbe Observer { get; }
    public SupervisorSettings Settings { get; }
    public IActorRef Supervisor { get; }
    public IActorRef WorkerGroup { get; }

    /// <summary>A path as an event records it (relative to the run folder, or absolute), as a file to open.</summary>
    public string InFolder(string recorded) => Settings.Paths.Resolve(recorded);

    /// <summary>Waits for the run's end; the summary and everything the observer was told until then.</summary>
    public (RunSummary Summary, List<object> Progress) Finish(TimeSpan? timeout = null)
    {
        var (finished, progress) = AwaitEnd(timeout);
        if (finished is null)
            throw new InvalidOperationException("the supervisor stopped without telling the observer how the run ended (no RunFinished); it was last told:\n" +
                                                string.Join("\n", progress.TakeLast(8).Select(p => p.ToString())));
        return (finished.Summary, progress);
    }

    /// <summary>Waits until the observer is told RunFinished (returned) or the supervisor stops without it (null).</summary>
    public (RunProgress.RunFinished? Finished, List<object> Progress) AwaitEnd(TimeSpan? timeout = null)
    {
        var progress = new List<object>();
        try
        {
            var end = Observer.FishForMessage(m =>
            {
                progress.Add(m);
                return m is RunProgress.RunFinished || m is Terminated t && t.ActorRef.Equals(Supervisor);
            }, timeout ?? TimeSpan.FromSeconds(60));
            if (end is RunProgress.RunFinished finished) return (finished, progress);
            // Stopped: a RunFinished sent just before may still be on its way (no order between senders).
            var late = Observer.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m as RunProgress.RunFinished);
            return (late.FirstOrDefault(), progress);
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            var last = string.Join("\n", progress.TakeLast(8).Select(p => p.ToString()));
            throw new InvalidOperationException($"the run did not end; the observer was last told:\n{last}", e);
        }
    }

    /// <summary>Stops this incarnation's supervisor (if it still runs) and workers, as the end of its process would.</summary>
    public void Kill()
    {
        var probe = _kit.CreateTestProbe();
        probe.Watch(Supervisor);
        probe.Watch(WorkerGroup);
        _kit.Sys.Stop(Supervisor);
        _kit.Sys.Stop(WorkerGroup);
        var stopped = new[] { probe.ExpectMsg<Terminated>().ActorRef, probe.ExpectMsg<Terminated>().ActorRef }.ToHashSet();
        if (!stopped.SetEquals([Supervisor, WorkerGroup]))
            throw new InvalidOperationException($"expected the supervisor and the workers to stop; stopped: {string.Join(", ", stopped)}");
    }

    /// <summary>Every event of the run, from the first (snapshots ignored).</summary>
    public IReadOnlyList<IRunEvent> Events()
    {
        var probe = _kit.CreateTestProbe();
        _kit.Sys.ActorOf(Props.Create(() => new EventReader(Settings.PersistenceId, probe)));
        return probe.ExpectMsg<EventReader.Replayed>(TimeSpan.FromSeconds(30)).Events;
    }
}
