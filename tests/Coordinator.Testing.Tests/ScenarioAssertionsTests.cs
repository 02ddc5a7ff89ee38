using Coordinator.Callbacks;
using Coordinator.Testing.Results;

namespace Coordinator.Testing.Tests;

/// <summary>Assertions pass on what happened and, when they fail, say what happened instead.</summary>
public sealed class ScenarioAssertionsTests
{
    // val_loss is best at epoch 4; the plateau halves the rate at the end of epochs 6 and 8; early stopping stops at 9.
    private static readonly Lazy<ScenarioResult> Result = new(() => Scenario.WithCallbacks(
            new ReduceLrOnPlateauSettings { Monitor = "val_loss", Patience = 2, Factor = 0.5 },
            new EarlyStoppingSettings { Monitor = "val_loss", Patience = 5, RestoreBestWeights = true },
            new ModelCheckpointSettings("ckpt-{epoch:02d}.weights") { Monitor = "val_loss", SaveBestOnly = true })
        .Metrics(Curves.FallThenRise(20, bestAt: 4)).Run());

    private static string Failure(Action<ScenarioResult> assertion) =>
        Assert.Throws<ScenarioAssertionException>(() => assertion(Result.Value)).Message;

    [Fact]
    public void Assertions_that_hold_pass_and_chain() =>
        Result.Value.AssertRate(0.01, fromEpoch: 0, untilEpoch: 6).AssertRate(0.005, fromEpoch: 7, untilEpoch: 8).AssertRate(0.0025, fromEpoch: 9)
            .AssertRateChangedAt(6, 8).AssertStopped(atEpoch: 9, by: "early-stopping").AssertCheckpointsAt(0, 1, 2, 3, 4)
            .AssertBestWeightsRestored(fromEpoch: 4).AssertStatus(Core.Reporting.RunStatus.Stopped).AssertReplicasConsistent();

    [Fact]
    public void A_wrong_rate_is_told_with_the_rates_the_run_had() =>
        Assert.Equal("expected the rate 0.002 from epoch 7, but it was 0.01 until epoch 6, then 0.005 from epoch 7 to 8, then 0.0025 at epoch 9",
            Failure(r => r.AssertRate(0.002, fromEpoch: 7)));

    [Fact]
    public void A_wrong_stop_is_told_with_the_stop_that_happened() =>
        Assert.Equal("expected the run to stop at epoch 30 by early-stopping, but it stopped at epoch 9 by early-stopping: " +
                     Result.Value.Stop!.Reason, Failure(r => r.AssertStopped(atEpoch: 30, by: "early-stopping")));

    [Fact]
    public void Wrong_checkpoints_are_told_with_the_epochs_they_were_saved_at() =>
        Assert.Equal("expected checkpoints at epochs 3, 7 and 12, but they were saved at epochs 0, 1, 2, 3 and 4",
            Failure(r => r.AssertCheckpointsAt(3, 7, 12)));

    [Fact]
    public void A_wrong_restore_is_told_with_the_epoch_restored() =>
        Assert.Equal("expected the best weights, of epoch 3, to be restored, but those of epoch 4 were", Failure(r => r.AssertBestWeightsRestored(fromEpoch: 3)));

    [Fact]
    public void Different_decisions_are_told_with_the_first_line_that_differs()
    {
        var other = Scenario.WithCallbacks(new ReduceLrOnPlateauSettings { Monitor = "val_loss", Patience = 3, Factor = 0.5 })
            .Metrics(Curves.FallThenRise(20, bestAt: 4)).Epochs(10).Run();

        var message = Assert.Throws<ScenarioAssertionException>(() => other.AssertSameDecisionsAs(Result.Value)).Message;
        Assert.StartsWith("expected the same decisions as the other run, but they differ after:\n    epoch 0: lr 0.009999999776482582;", message);
        Assert.Contains("  this run:  epoch 1: lr", message);
        Assert.Contains("  the other: epoch 0: regular checkpoint ckpt-01.weights (val_loss 1.05), holding the weights of epoch 0", message);
    }

    [Fact]
    public void A_failure_expected_of_a_run_that_completed_is_told_so() =>
        Assert.Equal("expected the run to fail because of \"max-restarts\", but it was stopped at epoch 9 by early-stopping: " + Result.Value.Stop!.Reason,
            Failure(r => r.AssertFailed("max-restarts")));
}
