using Coordinator.Callbacks;
using Coordinator.Testing.Results;
using static Coordinator.Testing.Results.WorkerActivity;

namespace Coordinator.Testing.Tests;

/// <summary>A supervisor replaced mid-run, a corrupted resume state, a journal that cannot be written: the decisions stay those of an undisturbed run.</summary>
public sealed class RecoveryTests
{
    private static readonly CallbackSettings[] Callbacks =
    [
        new ReduceLrOnPlateauSettings { Monitor = "val_loss", Patience = 2, Factor = 0.5 },
        new EarlyStoppingSettings { Monitor = "val_loss", Patience = 5, RestoreBestWeights = true },
        new ModelCheckpointSettings("ckpt-{epoch:02d}-{val_loss:.4f}.weights") { Monitor = "val_loss", SaveBestOnly = true, SaveTopK = 2 },
    ];

    private static Scenario Run => Scenario.WithCallbacks(Callbacks).Metrics(Curves.FallThenRise(20, bestAt: 8)).Workers(3);

    [Theory]
    [InlineData(0, 100)]
    [InlineData(6, 100)]
    [InlineData(10, 100)]
    [InlineData(10, 7)] // the new supervisor recovers from a snapshot and the events after it
    public void A_supervisor_restarted_after_an_epoch_decides_as_the_uninterrupted_run(int afterEpoch, int snapshotEvery)
    {
        var expected = Run.SnapshotEvery(snapshotEvery).Run();
        var result = Run.SnapshotEvery(snapshotEvery).RestartSupervisor(afterEpoch).Run();

        result.AssertSameDecisionsAs(expected).AssertReplicasConsistent();
        Assert.Equal(2, result.Supervisors);
        Assert.Equal(afterEpoch, Assert.Single(result.Resumes).FromEpoch);
        Assert.Empty(result.Rewinds);
        // The workers outlived the supervisor: each registered again and loaded the state to go on from.
        foreach (var worker in new[] { "worker-0", "worker-1", "worker-2" })
        {
            var after = result.ActivityOf(worker).SkipWhile(a => a is not Started s || s.Epoch != afterEpoch + 1)
                .Where(a => a is not (Reported or Aborted)).ToList();
            Assert.True(after is [Started, Registered, StateLoaded { Epoch: var loaded }, Started { Epoch: var next }, ..] &&
                        loaded == afterEpoch && next == afterEpoch + 1,
                $"{worker} after the restart: {string.Join(", ", after.Take(4))}");
        }
        Assert.Single(result.Events.OfType<Actors.Events.RunEvents.EpochCompleted>(), e => e.Epoch == afterEpoch + 1);
    }

    [Fact]
    public void The_restart_budget_used_before_a_supervisor_restart_stays_used()
    {
        var result = Run.Workers(4).MinWorkers(2).MaxRestarts(1).LoseWorker(2, atEpoch: 3).RestartSupervisor(afterEpoch: 6)
            .LoseWorker(3, atEpoch: 8).Run();

        result.AssertEpochsRestarted(3).AssertWorkerLost("worker-3", atEpoch: 8).AssertFailed("the restart budget is used up (max-restarts = 1)");
        Assert.Equal(2, result.Supervisors);
    }

    [Fact]
    public void A_corrupted_resume_state_is_recorded_and_the_new_supervisor_goes_back_to_the_one_before()
    {
        var expected = Run.Run();
        // Members in step share the first member's resume-state file (worker 0's): that one is altered.
        var result = Run.CorruptResumeState(ofEpoch: 6, worker: 0).RestartSupervisor(afterEpoch: 6).Run();

        result.AssertSameDecisionsAs(expected).AssertReplicasConsistent();
        var corrupted = Assert.Single(result.Corruptions);
        Assert.EndsWith("resume-e0006-w0.state", corrupted.Path);
        Assert.StartsWith("altered", corrupted.Problem);
        Assert.Equal(5, Assert.Single(result.Rewinds).ToEpoch);
        Assert.Equal(5, Assert.Single(result.Resumes).FromEpoch);
        Assert.Contains(result.Warnings, w => w.Contains("resume-e0006-w0.state is altered", StringComparison.Ordinal));
    }

    [Fact]
    public void A_journal_that_cannot_be_written_fails_the_run_keeping_what_was_written()
    {
        var result = Run.FailJournalWrites(fromEpoch: 4).Run();

        result.AssertFailed("the journal could not be written (EpochCompleted, sequence");
        Assert.Equal([0, 1, 2, 3], result.Epochs.Select(e => e.Epoch));
        Assert.Empty(result.Events.OfType<Actors.Events.RunEvents.RunFailed>()); // it could not be written either
    }

    [Fact]
    public void Once_the_journal_works_again_a_new_supervisor_resumes_with_the_same_decisions()
    {
        var expected = Run.Run();
        var result = Run.FailJournalWrites(fromEpoch: 4, thenResume: true).Run();

        result.AssertSameDecisionsAs(expected).AssertReplicasConsistent();
        Assert.Equal(2, result.Supervisors);
        Assert.Equal(3, Assert.Single(result.Resumes).FromEpoch);
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights_on_every_worker_and_keeps_them_as_the_final_model()
    {
        var result = Run.Run();

        result.AssertStopped(atEpoch: 13, by: "early-stopping").AssertBestWeightsRestored(fromEpoch: 8);
        Assert.All(["worker-0", "worker-1", "worker-2"], w => Assert.Equal(8, result.ActivityOf(w).OfType<WeightsLoaded>().Single().Epoch));
        Assert.Equal(Curves.FallThenRise(20, bestAt: 8).Epochs[8].ValLoss, result.Final!.ValLoss);
        // save-top-k = 2 kept the two best checkpoints, each holding its epoch's weights.
        Assert.Equal([7, 8], result.Checkpoints.Where(c => !c.Deleted).Select(c => c.WeightsEpoch!.Value));
    }
}
