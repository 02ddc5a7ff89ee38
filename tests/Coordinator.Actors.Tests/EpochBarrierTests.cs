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
        for (var i = 0; i < workers; i++)
        {
            supervisor.Tell(new WorkerReports.RegisterWorker($"worker-{i}", 10), probes[i]);
            probes[i].ExpectMsg<WorkerCommands.Registered>();
        }
        return (supervisor, probes, observer);
    }

    /// <summary>Every worker reports the epoch, then writes its resume state when asked (as real workers do).</summary>
    private static void EndEpoch(IActorRef supervisor, TestProbe[] workers, int epoch, double loss)
    {
        for (var i = 0; i < workers.Length; i++) supervisor.Tell(Report(i, epoch, loss, Attempt), workers[i]);
        CaptureStates(supervisor, workers);
    }

    private static void CaptureStates(IActorRef supervisor, TestProbe[] workers)
    {
        // The first member hands over its state, the others its hash (the same here: one file for all).
        var capture = workers[0].ExpectMsg<WorkerCommands.CaptureTrainingState>();
        supervisor.Tell(new WorkerReports.TrainingStateCaptured(capture.RequestId, [1, 2, 3]), workers[0]);
        for (var i = 1; i < workers.Length; i++)
        {
            var hash = workers[i].ExpectMsg<WorkerCommands.HashTrainingState>();
            supervisor.Tell(new WorkerReports.TrainingStateHashed(hash.RequestId,
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 1, 2, 3 }))), workers[i]);
        }
    }

    // The attempt (version) of the epoch the probes were last told to start.
    private static long Attempt;

    private static WorkerCommands.StartEpoch Started(TestProbe worker)
    {
        var start = worker.ExpectMsg<WorkerCommands.StartEpoch>();
        Attempt = start.Version;
        return start;
    }

    private static WorkerReports.EpochTrained Report(int worker, int epoch, double loss, long attempt) =>
        new(worker, epoch, 3, loss * 10, 8, 10, loss * 5, 4, 5, 0, "same-hash", attempt);

    [Fact]
    public void The_next_epoch_starts_only_when_every_worker_has_reported()
    {
        var (supervisor, workers, _) = Start([]);
        foreach (var w in workers) Assert.Equal(0, Started(w).Epoch);

        supervisor.Tell(Report(0, 0, 1.0, Attempt), workers[0]);
        workers[0].ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        workers[1].ExpectNoMsg(TimeSpan.Zero);

        supervisor.Tell(Report(1, 0, 1.0, Attempt), workers[1]);
        CaptureStates(supervisor, workers);
        foreach (var w in workers) Assert.Equal(1, Started(w).Epoch);
    }

    [Fact]
    public void A_rate_change_reaches_every_worker_with_its_next_epoch()
    {
        var (supervisor, workers, _) = Start([new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 0, Factor = 0.5 }]);
        foreach (var w in workers) Assert.Equal((double)(float)0.1, Started(w).LearningRate);
        EndEpoch(supervisor, workers, 0, 1.0);
        foreach (var w in workers) Assert.Equal((double)(float)0.1, Started(w).LearningRate);
        EndEpoch(supervisor, workers, 1, 2.0); // worse: the plateau halves the rate

        foreach (var w in workers)
        {
            var start = Started(w);
            Assert.Equal((2, (double)(float)((double)(float)0.1 * 0.5)), (start.Epoch, start.LearningRate));
        }
    }

    [Fact]
    public void A_NaN_batch_loss_stops_every_worker_within_the_epoch()
    {
        var (supervisor, workers, observer) = Start([new TerminateOnNaNSettings()]);
        foreach (var w in workers) Started(w);
        supervisor.Tell(new WorkerReports.BatchTrained(0, 0, 0, 1.0, 4, Attempt), workers[0]);
        supervisor.Tell(new WorkerReports.BatchTrained(1, 0, 0, double.NaN, 4, Attempt), workers[1]);

        foreach (var w in workers) Assert.Equal(0, w.ExpectMsg<WorkerCommands.StopEpoch>().Epoch);

        // The workers finish the epoch; the supervisor then evaluates and writes the final model.
        EndEpoch(supervisor, workers, 0, double.NaN);
        var evaluate = workers.Select(w => w.ExpectMsg<WorkerCommands.Evaluate>()).ToList();
        for (var i = 0; i < 2; i++)
            supervisor.Tell(new WorkerReports.Evaluated(evaluate[i].RequestId, 1, 1, 2, 1, 1, 2), workers[i]);
        var capture = workers[0].ExpectMsg<WorkerCommands.CaptureWeights>();
        supervisor.Tell(new WorkerReports.WeightsCaptured(capture.RequestId, [4, 5, 6]), workers[0]);

        var finished = observer.FishForMessage<RunProgress.RunFinished>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(RunStatus.Stopped, finished.Summary.Status);
        Assert.Contains("invalid loss nan", finished.Summary.StopReason);
    }

    [Fact]
    public void A_silent_worker_fails_the_run_with_its_name()
    {
        var (supervisor, workers, observer) = Start([], timeout: TimeSpan.FromMilliseconds(500));
        foreach (var w in workers) Started(w);
        supervisor.Tell(Report(0, 0, 1.0, Attempt), workers[0]);

        var finished = observer.FishForMessage<RunProgress.RunFinished>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(RunStatus.Failed, finished.Summary.Status);
        Assert.Contains("worker(s) worker-1 did not report epoch 1", finished.Summary.Error);
    }

    [Fact]
    public void A_worker_that_stops_fails_the_run_when_no_restart_is_allowed()
    {
        var (_, workers, observer) = Start([]);
        foreach (var w in workers) Started(w);
        Sys.Stop(workers[1].Ref);

        var finished = observer.FishForMessage<RunProgress.RunFinished>(_ => true, TimeSpan.FromSeconds(10));
        Assert.Equal(RunStatus.Failed, finished.Summary.Status);
        Assert.Contains("worker-1 stopped", finished.Summary.Error);
        Assert.Contains("min-workers = 2", finished.Summary.Error);
    }
}
