using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Rules;

/// <summary>
/// The engine warns when a callback compared a monitored value that is not finite (Keras is
/// silent): once per epoch per metric, saying what each callback made of it.
/// </summary>
public class NonFiniteMonitorWarningTests
{
    private static List<string> Warnings(EpochOutcome e) => e.Of<CallbackWarning>().Select(w => $"{w.Source}: {w.Message}").ToList();

    [Fact]
    public void A_first_nan_warns_that_it_became_the_best_and_a_later_one_that_it_is_no_improvement()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "val_loss", Patience = 5 }, Of("val_loss", double.NaN, 1.0, double.NaN));
        Assert.Equal(["early-stopping: val_loss = nan at epoch 1 is not finite: early-stopping took it as its best value " +
                      "(as Keras 3 takes any first value), and no later value can improve on it"], Warnings(run.Epochs[0]));
        Assert.Empty(Warnings(run.Epochs[1]));
        Assert.Equal(["early-stopping: val_loss = nan at epoch 3 is not finite: " +
                      "no improvement for early-stopping, whose best is nan: no value can improve on it"], Warnings(run.Epochs[2]));
    }

    [Fact]
    public void One_warning_per_metric_names_every_callback_that_compared_it()
    {
        var run = Runner.Run(
            [new EarlyStoppingSettings { Monitor = "val_loss", Patience = 5 },
             new ReduceLrOnPlateauSettings { Monitor = "val_loss", Patience = 5 },
             new ModelCheckpointSettings("m-{epoch}") { Monitor = "val_loss", SaveBestOnly = true },
             new ModelCheckpointSettings("all-{epoch}") { Monitor = "loss" }, // compares nothing: not named
             new EarlyStoppingSettings { Monitor = "loss", Patience = 5 }],
            [Epoch(("loss", 2.0), ("val_loss", 1.0)), Epoch(("loss", double.PositiveInfinity), ("val_loss", double.PositiveInfinity))]);
        Assert.Equal(
        [
            "early-stopping: val_loss = inf at epoch 2 is not finite: no improvement for early-stopping (best 1.0); " +
            "no improvement for reduce-lr-on-plateau (best 1.0); no improvement for model-checkpoint (best 1.0)",
            "early-stopping#2: loss = inf at epoch 2 is not finite: no improvement for early-stopping#2 (best 2.0)",
        ], Warnings(run.Epochs[1]));
    }

    [Theory]
    [InlineData(double.NegativeInfinity, "took it as its best value, and no later value can improve on it")]
    [InlineData(double.PositiveInfinity, "no improvement for early-stopping (best 1.0)")]
    public void An_infinity_is_judged_by_the_direction(double value, string outcome)
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 5 }, Of("loss", 1.0, value));
        var w = Assert.Single(run.Epochs[1].Of<CallbackWarning>());
        Assert.EndsWith(outcome, w.Message);
    }

    [Fact]
    public void A_first_infinity_at_the_worst_end_can_still_be_improved_on()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 5 }, Of("loss", double.PositiveInfinity));
        Assert.EndsWith("early-stopping took it as its best value (as Keras 3 takes any first value)", Assert.Single(run.All<CallbackWarning>()).Message);
    }

    [Fact]
    public void Finite_values_metrics_nobody_monitors_and_epochs_before_start_from_epoch_do_not_warn()
    {
        var run = Runner.Run(
            [new EarlyStoppingSettings { Monitor = "val_loss", Patience = 5, StartFromEpoch = 2 }, new ModelCheckpointSettings("m-{epoch}")],
            [Epoch(("loss", double.NaN), ("val_loss", double.NaN)), Epoch(("val_loss", double.NaN)), Epoch(("val_loss", 1.0))]);
        Assert.Empty(run.All<CallbackWarning>());
    }

    [Fact]
    public void A_batch_save_warns_once_in_its_epoch_even_when_the_epoch_end_compares_the_metric_again()
    {
        // save-freq 1 with save-best-only compares the batch loss at every batch; EarlyStopping the
        // epoch's loss at its end: one warning for "loss" in that epoch, at the first batch.
        var run = Runner.Run(
            [new ModelCheckpointSettings("b-{epoch}-{batch}") { Monitor = "loss", SaveBestOnly = true, SaveFreqBatches = 1 },
             new EarlyStoppingSettings { Monitor = "loss", Patience = 5 }],
            [Epoch(Logs(("loss", double.NaN)), Logs(("loss", 1.0)), Logs(("loss", double.NaN)), Logs(("loss", double.NaN)))]);
        var w = Assert.Single(run.All<CallbackWarning>());
        Assert.StartsWith("loss = nan at epoch 1, batch 2 is not finite: no improvement for model-checkpoint (best 1.0)", w.Message);
        Assert.Equal(w, Assert.Single(run.Epochs[0].Batches[1].Decisions.OfType<CallbackWarning>()));
    }

    [Fact]
    public void The_next_epoch_warns_again()
    {
        var run = Runner.Run(new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 5 }, Of("loss", double.NaN, double.NaN, double.NaN));
        Assert.Equal([1, 1, 1], run.Epochs.Select(e => e.Of<CallbackWarning>().Count()));
    }
}
