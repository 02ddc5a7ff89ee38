namespace CallbackScenarios.Tests;

/// <summary>On the history of an earlier run, where would our callbacks have stopped, and which weights would we keep?</summary>
public sealed class EarlyStoppingTests
{
    [Fact]
    public void Training_stops_5_epochs_after_the_best_val_loss_and_keeps_the_best_weights()
    {
        var result = OurTraining.OnEarlierRun.Run();

        // val_loss is best (0.14844) at epoch 19 and does not improve for the 5 epochs after it.
        result.AssertStopped(atEpoch: 24, by: "early-stopping")
              .AssertBestWeightsRestored(fromEpoch: 19);
        Assert.Equal(0.14844, result.Final!.ValLoss); // the model we keep is that of epoch 19
        // save-top-k = 2: only the checkpoints of the two best epochs are left.
        Assert.Equal(["ckpt-18-0.1543.weights", "ckpt-20-0.1484.weights"], result.Checkpoints.Where(c => !c.Deleted).Select(c => c.File));
    }
}
