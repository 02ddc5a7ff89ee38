namespace CallbackScenarios.Tests;

/// <summary>Does our plateau schedule ignore noise smaller than min-delta, and where does it take the rate?</summary>
public sealed class PlateauScheduleTests
{
    [Fact]
    public void The_rate_is_cut_by_5_every_3_flat_epochs_once_val_loss_stops_improving_by_min_delta()
    {
        var result = OurTraining.PlateauOnly.Run();

        // val_loss reaches its floor at epoch 14; the wobble after it (up to 0.008) does not count as improvement.
        result.AssertRate(0.01, fromEpoch: 0, untilEpoch: 17)
              .AssertRate(0.002, fromEpoch: 18, untilEpoch: 20)
              .AssertRate(0.0004, fromEpoch: 21, untilEpoch: 23)
              .AssertRate(0.0001, fromEpoch: 24) // min-lr: no lower
              .AssertRateChangedAt(17, 20, 23);
    }
}
