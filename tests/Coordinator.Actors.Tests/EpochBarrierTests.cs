using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Callbacks;
using Coordinator.Core.Reporting;

using Coordinator.Actors.TestSupport;

namespace Coordinator.Actors.Tests;

/// <summary>The supervisor's epoch barrier and broadcasts, with test probes playing the workers.</summary>
public sealed class EpochBarrierTests() : TestKit(TestConfig.Create())
{
    private (IActorRef Supervisor, TestProbe[] Workers, TestProbe Observer) Start(
        IReadOnlyList<CallbackSettings> callbacks, int workers = 2, int epochs = 5, TimeSpan? timeout = null)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var observer = CreateTestProbe();
        var settings = new SupervisorSettings(id, Path.Combine(Path.GetTempPath(), "coordinator-barrier", id), workers, epochs, 3,
            callbacks, 0.1, "gradients", 1, "sha", timeout ?? TimeSpan.FromSeconds(30));
        var supervisor = Sys.ActorOf(TrainingSupervisor.Props(settings, observer), $"supervisor-{id}");
        var probes = Enumerable.Range(0, workers).Select(_ => CreateTestProbe()).ToArray();
        for (var i = 0; i < workers; i++) supervisor.Tell(new WorkerReports.WorkerReady(i, 10), probes[i]);
        return (supervisor, probes, observer);
    }

    /// <summary>Every worker reports the epoch, then writes its resume state when asked (as real workers do).</summary>
    private static void EndEpoch(IActorRef supervisor, TestProbe[] workers, int epoch, double loss)
    {
        for (var i = 0; i < workers.Length; i++) supervisor.Tell(Report(i, epoch, loss), workers[i]);
        for (var i = 0; i < workers.Length; i++)
        {
            var write = workers[i].ExpectMsg<WorkerCommands.WriteTrainingState>();
            supervisor.Tell(new WorkerReports.TrainingStateWritten(write.RequestId, i, write.Path, "sha", 1), workers[i]);
        }
    }

    private static WorkerReports.EpochTrained Report(int worker, int epoch, double loss) =>
        new(worker, epoch, 3, loss * 10, 8, 10, loss * 5, 4, 5, 0, "same-hash");

    [Fact]
    public void The_next_epoch_starts_only_when_every_worker_has_reported()
    {
        var (supervisor, workers, _) = Start([]);
        foreach (var w in workers) Assert.Equal(0, w.ExpectMsg<WorkerCommands.StartEpoch>().Epoch);

        supervisor.Tell(Report(0, 0, 1.0), workers[0]);
        workers[0].ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        workers[1].ExpectNoMsg(TimeSpan.Zero);

        supervisor.Tell(Report(1, 0, 1.0), workers[1]);
        for (var i = 0; i < 2; i++)
        {
            var write = workers[i].ExpectMsg<WorkerCommands.WriteTrainingState>();
            supervisor.Tell(new WorkerReports.TrainingStateWritten(write.RequestId, i, write.Path, "sha", 1), workers[i]);
        }
        foreach (var w in workers) Assert.Equal(1, w.ExpectMsg<WorkerCommands.StartEpoch>().Epoch);
    }

    [Fact]
    public void A_rate_change_reaches_every_worker_with_its_next_epoch()
    {
        var (supervisor, workers, _) = Start([new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 0, Factor = 0.5 }]);
        foreach (var w in workers) Assert.Equal((double)(float)0.1, w.ExpectMsg<WorkerCommands.StartEpoch>().LearningRate);
        EndEpoch(supervisor, workers, 0, 1.0);
        foreach (var w in workers) Assert.Equal((double)(float)0.1, w.ExpectMsg<WorkerCommands.StartEpoch>().LearningRate);
        EndEpoch(supervisor, workers, 1, 2.0); // worse: the plateau halves the rate

        foreach (var w in workers)
        {
            var start = w.ExpectMsg<WorkerCommands.StartEpoch>();
            Assert.Equal((2, (double)(float)((double)(float)0.1 * 0.5)), (start.Epoch, start.LearningRate));
        }
    }

    [Fact]
    public void A_NaN_batch_loss_stops_every_worker_within_the_epoch()
    {
        var (supervisor, workers, observer) = Start([new TerminateOnNaNSettings()]);
        foreach (var w in workers) w.ExpectMsg<WorkerCommands.StartEpoch>();
        supervisor.Tell(new WorkerReports.BatchTrained(0, 0, 0, 1.0, 4), workers[0]);
        supervisor.Tell(new WorkerReports.BatchTrained(1, 0, 0, double.NaN, 4), workers[1]);

        foreach (var w in workers) Assert.Equal(0, w.ExpectMsg<WorkerCommands.StopEpoch>().Epoch);

        // The workers finish the epoch; the supervisor then evaluates and writes the final model.
        EndEpoch(supervisor, workers, 0, double.NaN);
        var evaluate = workers.Select(w => w.ExpectMsg<WorkerCommands.Evaluate>()).ToList();
        for (var i = 0; i < 2; i++)
            supervisor.Tell(new WorkerReports.Evaluated(evaluate[i].RequestId, i, 1, 1, 2, 1, 1, 2), workers[i]);
        var write = workers[0].ExpectMsg<WorkerCommands.WriteCheckpoint>();
        supervisor.Tell(new WorkerReports.CheckpointWritten(write.RequestId, 0, write.Path, "sha", 1), workers[0]);

        var finished = observer.FishForMessage<RunProgress.RunFinished>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(RunStatus.Stopped, finished.Summary.Status);
        Assert.Contains("invalid loss nan", finished.Summary.StopReason);
    }

    [Fact]
    public void A_silent_worker_fails_the_run_with_its_name()
    {
        var (supervisor, workers, observer) = Start([], timeout: TimeSpan.FromMilliseconds(500));
        foreach (var w in workers) w.ExpectMsg<WorkerCommands.StartEpoch>();
        supervisor.Tell(Report(0, 0, 1.0), workers[0]);

        var finished = observer.FishForMessage<RunProgress.RunFinished>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(RunStatus.Failed, finished.Summary.Status);
        Assert.Contains("worker(s) 1 did not report epoch 0", finished.Summary.Error);
    }

    [Fact]
    public void A_worker_that_stops_fails_the_run()
    {
        var (_, workers, observer) = Start([]);
        foreach (var w in workers) w.ExpectMsg<WorkerCommands.StartEpoch>();
        Sys.Stop(workers[1].Ref);

        var finished = observer.FishForMessage<RunProgress.RunFinished>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(RunStatus.Failed, finished.Summary.Status);
        Assert.Contains("stopped unexpectedly", finished.Summary.Error);
    }
}
