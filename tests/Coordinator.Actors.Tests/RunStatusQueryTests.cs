using Akka.TestKit.Xunit2;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Actors.Supervision.Status;
using Coordinator.Actors.TestSupport;

namespace Coordinator.Actors.Tests;

/// <summary>"What is the run doing now?": the supervisor answers GetRunStatus in every phase.</summary>
public sealed class RunStatusQueryTests(Xunit.Abstractions.ITestOutputHelper output) : TestKit(TestConfig.Create(), "run-status", output)
{
    [Fact]
    public void Before_any_worker_registers_the_supervisor_says_it_waits_for_them()
    {
        var runId = $"status-{Guid.NewGuid():N}"[..15];
        var settings = new SupervisorSettings(runId, Path.Combine(Path.GetTempPath(), "coordinator-actor-tests", runId), 1, 1, 1, [], 0.05,
            "gradients", 7, "sha", TimeSpan.FromSeconds(20));
        var supervisor = Sys.ActorOf(TrainingSupervisor.Props(settings, Progress.RunProgressPublisher.For(Sys, runId)), runId);

        supervisor.Tell(GetRunStatus.Instance, TestActor);

        var status = ExpectMsg<CurrentRunStatus>();
        Assert.Equal((runId, SupervisorPhase.WaitingForWorkers, 0, -1), (status.RunId, status.Phase, status.Epoch, status.LastEpoch));
        Assert.Empty(status.Members);
        Assert.Empty(status.LastLogs);
    }

    [Fact]
    public void Mid_run_and_after_it_the_supervisor_tells_its_epoch_phase_members_and_last_logs()
    {
        var run = new RunHarness(this, workers: 2, batchSize: 8, epochs: 3, callbacks: []);
        run.Observer.FishForMessage(m => m is RunProgress.EpochSummarized { Epoch: 0 });

        run.Supervisor.Tell(GetRunStatus.Instance, TestActor);
        var during = ExpectMsg<CurrentRunStatus>();
        Assert.Contains(during.Phase, new[] { SupervisorPhase.TrainingEpoch, SupervisorPhase.EndingEpoch, SupervisorPhase.Finishing, SupervisorPhase.Done });
        Assert.True(during.LastEpoch >= 0, "epoch 0 is stored");
        Assert.True(during.Epoch > during.LastEpoch || during.Phase == SupervisorPhase.Done, $"epoch {during.Epoch} is in flight after {during.LastEpoch}");
        Assert.Equal(2, during.Members.Count);
        Assert.Contains("loss", during.LastLogs.Keys);

        var (_, progress) = run.Finish();
        run.Supervisor.Tell(GetRunStatus.Instance, TestActor);
        var after = ExpectMsg<CurrentRunStatus>();
        Assert.Equal((SupervisorPhase.Done, 3, 2, 3), (after.Phase, after.Epoch, after.LastEpoch, after.Epochs));
        Assert.Equal(during.Members, after.Members);
        var last = progress.OfType<RunProgress.EpochSummarized>().Last();
        Assert.Equal(last.Logs, after.LastLogs);
    }
}
