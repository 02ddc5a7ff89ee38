using Coordinator.Callbacks;
using Coordinator.Testing.Results;
using static Coordinator.Testing.Results.WorkerActivity;

namespace Coordinator.Testing.Tests;

/// <summary>Elastic membership: a lost worker restarts the epoch within the restart budget; a joiner takes part from the next epoch.</summary>
public sealed class MembershipTests
{
    private static readonly CallbackSettings[] Callbacks =
    [
        new ReduceLrOnPlateauSettings { Monitor = "val_loss", Patience = 2, Factor = 0.5 },
        new EarlyStoppingSettings { Monitor = "val_loss", Patience = 5, RestoreBestWeights = true },
        new ModelCheckpointSettings("ckpt-{epoch:02d}-{val_loss:.4f}.weights") { Monitor = "val_loss", SaveBestOnly = true },
    ];

    private static Scenario Run => Scenario.WithCallbacks(Callbacks).Metrics(Curves.FallThenRise(20, bestAt: 8)).Workers(4);

    [Fact]
    public void A_worker_lost_mid_epoch_restarts_the_epoch_with_the_others_and_the_decisions_stay_the_same()
    {
        var expected = Run.Run();
        var result = Run.MinWorkers(3).MaxRestarts(2).LoseWorker(2, atEpoch: 5, atBatch: 1).StepsPerEpoch(3).Run();

        result.AssertWorkerLost("worker-2", atEpoch: 5).AssertEpochsRestarted(5).AssertSameDecisionsAs(expected).AssertReplicasConsistent();
        var restart = Assert.Single(result.Restarts);
        Assert.Equal((3, 1, 2), (restart.Workers, restart.Restart, restart.MaxRestarts));
        // The others dropped the attempt, went back to the state after epoch 4, and trained epoch 5 again as 3.
        foreach (var worker in new[] { "worker-0", "worker-1", "worker-3" })
        {
            var after = result.ActivityOf(worker).SkipWhile(a => a is not Aborted { Epoch: 5 }).ToList();
            Assert.True(after is [Aborted, StateLoaded { Epoch: 4 }, Started { Epoch: 5, Workers: 3 }, ..],
                $"{worker} after the loss: {string.Join(", ", after.Take(3))}");
        }
    }

    [Fact]
    public void With_the_restart_budget_used_up_the_next_loss_fails_the_run_naming_max_restarts()
    {
        var result = Run.MinWorkers(2).MaxRestarts(1).LoseWorker(2, atEpoch: 3).LoseWorker(3, atEpoch: 6).Run();

        result.AssertEpochsRestarted(3).AssertWorkerLost("worker-3", atEpoch: 6)
            .AssertFailed("worker worker-3 stopped (its process or node is gone) during epoch 7, and the restart budget is used up (max-restarts = 1)");
        Assert.Equal(6, result.Epochs.Count);
    }

    [Fact]
    public void A_failing_worker_is_lost_with_its_reason()
    {
        var result = Run.MinWorkers(3).MaxRestarts(1).FailWorker(1, atEpoch: 2, reason: "CUDA out of memory").Run();

        result.AssertWorkerLost("worker-1", atEpoch: 2).AssertEpochsRestarted(2).AssertSameDecisionsAs(Run.Run());
        Assert.Equal("failed: CUDA out of memory", result.LostWorkers[0].Reason);
    }

    [Fact]
    public void A_worker_that_registers_mid_run_joins_at_the_next_epoch_without_using_the_restart_budget()
    {
        var expected = Run.Run();
        var result = Run.JoinWorker(registersAtEpoch: 3).Run();

        result.AssertWorkerJoined("worker-4", fromEpoch: 4).AssertSameDecisionsAs(expected).AssertReplicasConsistent();
        Assert.Empty(result.Restarts);
        Assert.Equal(5, result.Joins[0].Workers);
        var joiner = result.ActivityOf("worker-4");
        Assert.Equal(3, joiner.OfType<StateLoaded>().First().Epoch); // brought to the members' state first
        Assert.Equal(4, joiner.OfType<Started>().First().Epoch);
        Assert.All(result.Activity.OfType<Started>().Where(s => s.Epoch >= 4), s => Assert.Equal(5, s.Workers));
    }

    [Fact]
    public void A_worker_that_registers_while_the_epoch_is_restarted_joins_the_restarted_epoch()
    {
        // The registration comes before the loss (the scenario holds the epoch until it is in), so the joiner
        // is brought to the state the epoch restarts from and takes part in it.
        var result = Run.MinWorkers(3).MaxRestarts(1).JoinWorker(registersAtEpoch: 6).LoseWorker(1, atEpoch: 6).Run();

        result.AssertWorkerLost("worker-1", atEpoch: 6).AssertEpochsRestarted(6).AssertWorkerJoined("worker-4", fromEpoch: 6)
            .AssertSameDecisionsAs(Run.Run()).AssertReplicasConsistent();
        Assert.Equal(4, result.Activity.OfType<Started>().Last(s => s.Epoch == 6).Workers);
    }

    [Fact]
    public void A_worker_beyond_max_workers_is_refused()
    {
        var result = Run.MaxWorkers(4).JoinWorker(registersAtEpoch: 2).Run();

        Assert.Empty(result.Joins);
        var refused = Assert.Single(result.Activity.OfType<Refused>());
        Assert.Equal(("worker-4", "the run has its 4 workers (max-workers)"), (refused.Worker, refused.Reason));
    }
}
