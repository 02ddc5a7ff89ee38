namespace CallbackScenarios.Tests;

/// <summary>With min-workers 3 and max-restarts 1, does losing a worker leave our run correct, and when does it fail?</summary>
public sealed class LostWorkerTests
{
    [Fact]
    public void A_worker_lost_at_epoch_5_restarts_that_epoch_with_the_others_and_the_run_decides_as_without_the_loss()
    {
        var result = OurTraining.Elastic.LoseWorker(2, atEpoch: 5).Run();

        result.AssertWorkerLost("worker-2", atEpoch: 5)
              .AssertEpochsRestarted(5)
              .AssertSameDecisionsAs(OurTraining.Elastic.Run());
        Assert.Equal((1, 1), (result.Restarts[0].Restart, result.Restarts[0].MaxRestarts)); // the budget is used up
    }

    [Fact]
    public void A_second_loss_with_the_restart_budget_used_up_fails_the_run()
    {
        var result = OurTraining.Elastic.MinWorkers(2).LoseWorker(2, atEpoch: 5).LoseWorker(3, atEpoch: 8).Run();

        result.AssertEpochsRestarted(5)
              .AssertFailed("the restart budget is used up (max-restarts = 1)");
        Assert.Equal(8, result.Epochs.Count); // epochs 0 to 7 are done; epoch 8 was not
    }
}
