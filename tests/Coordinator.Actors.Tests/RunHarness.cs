using Coordinator.Testing.Persistence;
using Akka.Actor;
using Akka.TestKit;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Actors.Workers;
using Coordinator.Callbacks;
using Coordinator.Core.Model;
using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

using Coordinator.Actors.TestSupport;

namespace Coordinator.Actors.Tests;

/// <summary>Starts a real supervisor and real workers (on <see cref="LinearReplica"/>s) in a TestKit.</summary>
public sealed class RunHarness
{
    private readonly Akka.TestKit.Xunit2.TestKit _kit;

    public RunHarness(Akka.TestKit.Xunit2.TestKit kit, int workers, int batchSize, IReadOnlyList<CallbackSettings> callbacks,
        int epochs = 5, double lr = 0.05, SyncMode sync = SyncMode.Gradients, int syncEvery = 4, int train = 96,
        Func<int, int, int, double>? loss = null, string? runId = null, int incarnation = 1, int snapshotEvery = 100)
    {
        _kit = kit;
        RunId = runId ?? Guid.NewGuid().ToString("N")[..8];
        Folder = Path.Combine(Path.GetTempPath(), "coordinator-actor-tests", RunId);
        Factory = new LinearReplicaFactory(features: 3, loss);
        Observer = kit.CreateTestProbe();
        var setup = new WorkerSetup(0, train, 32, batchSize * workers, Seed: 7, Shuffle: true, sync, syncEvery);
        Settings = new SupervisorSettings(RunId, Folder, workers, epochs, setup.Plan(workers).StepsPerEpoch, callbacks, lr,
            sync.ToString().ToLowerInvariant(), 7, "sha", TimeSpan.FromSeconds(20), snapshotEvery);
        Supervisor = kit.Sys.ActorOf(TrainingSupervisor.Props(Settings, Observer), $"supervisor-{RunId}-{incarnation}");
        WorkerGroup = kit.Sys.ActorOf(Actors.Workers.WorkerGroup.Props(setup, Enumerable.Range(0, workers), Factory, Supervisor), $"workers-{RunId}-{incarnation}");
    }

    public string RunId { get; }
    public string Folder { get; }
    public LinearReplicaFactory Factory { get; }
    public TestProbe Observer { get; }
    public SupervisorSettings Settings { get; }
    public IActorRef Supervisor { get; }
    public IActorRef WorkerGroup { get; }

    /// <summary>Waits for the run to finish, collecting everything the observer was told.</summary>
    public (RunSummary Summary, List<object> Progress) Finish(TimeSpan? timeout = null)
    {
        var progress = new List<object>();
        try
        {
            var finished = (RunProgress.RunFinished)Observer.FishForMessage(m =>
            {
                progress.Add(m);
                return m is RunProgress.RunFinished;
            }, timeout ?? TimeSpan.FromSeconds(60));
            return (finished.Summary, progress);
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            var last = string.Join("\n", progress.TakeLast(8).Select(p => p.ToString()));
            throw new InvalidOperationException($"the run did not finish; the observer was last told:\n{last}", e);
        }
    }

    /// <summary>Stops this incarnation's supervisor and workers, as a crash of their process would.</summary>
    public void Kill()
    {
        var probe = _kit.CreateTestProbe();
        probe.Watch(Supervisor);
        probe.Watch(WorkerGroup);
        _kit.Sys.Stop(Supervisor);
        _kit.Sys.Stop(WorkerGroup);
        var stopped = new[] { probe.ExpectMsg<Terminated>().ActorRef, probe.ExpectMsg<Terminated>().ActorRef };
        Assert.Equal(new HashSet<IActorRef> { Supervisor, WorkerGroup }, stopped.ToHashSet());
    }

    public IReadOnlyList<IRunEvent> Events()
    {
        var probe = _kit.CreateTestProbe();
        _kit.Sys.ActorOf(Props.Create(() => new EventReader(Settings.PersistenceId, probe)));
        return probe.ExpectMsg<EventReader.Replayed>(TimeSpan.FromSeconds(30)).Events;
    }
}
