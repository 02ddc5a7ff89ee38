using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Actors.TestSupport;
using Coordinator.Actors.Workers;
using Coordinator.Core.Model;
using Coordinator.Testing.Persistence;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Tests;

/// <summary>
/// Each worker node reads the data itself and registers with its SHA-256: the supervisor takes a worker whose
/// data is the run's (as RunStarted records it) and refuses one whose data differs, naming both fingerprints;
/// the refused worker stops and tells its parent (a worker node prints it and exits with an error).
/// </summary>
public sealed class DataFingerprintTests() : TestKit(TestConfig.Create())
{
    private const string RunData = "0b1f2e3d4c5b6a79887766554433221100ffeeddccbbaa998877665544332211";
    private const string OtherData = "ffeeddccbbaa99887766554433221100aabbccddeeff00112233445566778899";

    [Fact]
    public void A_worker_whose_data_differs_is_refused_naming_both_fingerprints_and_one_whose_data_matches_trains()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var setup = new WorkerSetup(0, 96, 32, 4, Seed: 7, Shuffle: true, SyncMode.Gradients, 4);
        var settings = new SupervisorSettings(id, Path.Combine(Path.GetTempPath(), "coordinator-data-sha", id), 1, 2,
            setup.Plan(1).StepsPerEpoch, [], 0.05, "gradients", 7, "sha", TimeSpan.FromSeconds(20)) { DataSha256 = RunData };
        var observer = CreateTestProbe();
        Progress.RunProgressSubscription.ForwardTo(Sys, id, observer);
        var supervisor = Sys.ActorOf(TrainingSupervisor.Props(settings, Progress.RunProgressPublisher.For(Sys, id)), $"supervisor-{id}");
        var factory = new LinearReplicaFactory(features: 3);

        var parent = CreateTestProbe();
        var strangerProps = TrainingWorker.Props(setup with { Name = "node-b/worker", DataSha256 = OtherData }, factory, supervisor);
        Sys.ActorOf(Props.Create(() => new Parent(strangerProps, parent)), "parent-of-stranger");
        var rejected = parent.ExpectMsg<WorkerCommands.RegistrationRejected>();
        Assert.Equal($"worker node-b/worker was refused: its data file has SHA-256 {OtherData}, the run's data has SHA-256 {RunData}", rejected.Reason);
        parent.ExpectMsg<WorkerStopped>();
        observer.FishForMessage(m => m is RunProgress.Warning w && w.Message == rejected.Reason);

        Sys.ActorOf(WorkerGroup.Props(setup with { DataSha256 = RunData }, [0], factory, supervisor), $"workers-{id}");
        var finished = (RunProgress.RunFinished)observer.FishForMessage(m => m is RunProgress.RunFinished, TimeSpan.FromSeconds(60));
        Assert.Equal(Core.Reporting.RunStatus.Completed, finished.Summary.Status);

        var probe = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new EventReader(settings.PersistenceId, probe)));
        var events = probe.ExpectMsg<EventReader.Replayed>(TimeSpan.FromSeconds(30)).Events;
        Assert.Equal(RunData, events.OfType<RunStarted>().Single().DataSha256);
        Assert.Equal(1, events.OfType<RunStarted>().Single().Workers);
    }

    private sealed record WorkerStopped;

    /// <summary>Stands in for a worker node: starts the worker, passes on what it is told, and says when it stops.</summary>
    private sealed class Parent : ReceiveActor
    {
        public Parent(Props worker, TestProbe probe)
        {
            Context.Watch(Context.ActorOf(worker, "worker"));
            Receive<Terminated>(_ => probe.Tell(new WorkerStopped()));
            ReceiveAny(m => probe.Forward(m));
        }
    }
}
