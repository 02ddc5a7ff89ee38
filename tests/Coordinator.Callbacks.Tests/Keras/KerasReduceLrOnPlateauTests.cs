using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Keras;

/// <summary>
/// Ports of keras/src/callbacks/reduce_lr_on_plateau_test.py (Keras 3, ReduceLROnPlateauTest).
/// The Keras tests fit a model with Adam(0.1) and a min_delta so large (100 or 10) that no epoch
/// after the first counts as an improvement; that is what reaches the callback, so here val_loss
/// is any sequence of plausible losses.
/// </summary>
public class KerasReduceLrOnPlateauTests
{
    private static readonly double[] ValLosses = [0.52, 0.47, 0.45, 0.44, 0.43];

    private static double F32(double x) => (float)x;

    // Keras: test_reduces_lr_with_model_fit — patience 1, factor 0.1, min_delta 100, 2 epochs:
    // the optimizer's rate ends at 0.01.
    [Fact]
    public void test_reduces_lr_with_model_fit()
    {
        var run = Runner.Run(
            new ReduceLrOnPlateauSettings { Patience = 1, Factor = 0.1, Monitor = "val_loss", MinDelta = 100 },
            Of("val_loss", ValLosses[..2]), initialLr: 0.1);
        Assert.Equal(F32(0.01), run.FinalLearningRate);
    }

    // Keras: test_throws_when_optimizer_has_schedule — not applicable: the optimizer's rate here is a
    // plain number the engine owns; there is no optimizer LearningRateSchedule to conflict with.

    // Keras: test_verbose_logging — with verbose=1 the log says "ReduceLROnPlateau reducing learning
    // rate to 0.01". The engine reports the same event as a decision.
    [Fact]
    public void test_verbose_logging()
    {
        var run = Runner.Run(
            new ReduceLrOnPlateauSettings { Patience = 1, Factor = 0.1, Monitor = "val_loss", MinDelta = 100, Verbose = 1 },
            Of("val_loss", ValLosses[..2]), initialLr: 0.1);
        var change = Assert.Single(run.All<LearningRateChanged>());
        Assert.Equal(new LearningRateChanged("reduce-lr-on-plateau", 1, F32(0.1), F32(0.01), LearningRateChangeReason.Plateau), change);
    }

    // Keras: test_honors_min_lr — patience 1, factor 0.1, min_delta 10, min_lr 0.005, 4 epochs:
    // 0.1 -> 0.01 -> 0.005 (clamped) and then no further change.
    [Fact]
    public void test_honors_min_lr()
    {
        var run = Runner.Run(
            new ReduceLrOnPlateauSettings { Patience = 1, Factor = 0.1, Monitor = "val_loss", MinDelta = 10, MinLr = 0.005 },
            Of("val_loss", ValLosses[..4]), initialLr: 0.1);
        Assert.Equal(F32(0.005), run.FinalLearningRate);
        Assert.Equal([F32(0.01), F32(0.005)], run.All<LearningRateChanged>().Select(c => c.To));
    }

    // Keras: test_cooldown — patience 1, min_delta 100, cooldown 2, 4 epochs: "we should only reduce
    // the LR every other epoch, so after 4 epochs we will have reduced 2 times" -> 0.001.
    [Fact]
    public void test_cooldown()
    {
        var run = Runner.Run(
            new ReduceLrOnPlateauSettings { Patience = 1, Factor = 0.1, Monitor = "val_loss", MinDelta = 100, Cooldown = 2 },
            Of("val_loss", ValLosses[..4]), initialLr: 0.1);
        Assert.Equal(0.001, run.FinalLearningRate, 1e-9);
        Assert.Equal([1, 3], run.All<LearningRateChanged>().Select(c => c.Epoch));
    }

    // Keras: test_state_reset_across_fit_calls — reused across fit() calls, on_train_begin must
    // clear best (to None), wait and cooldown_counter.
    [Fact]
    public void test_state_reset_across_fit_calls()
    {
        var engine = Runner.Engine(0.1, new ReduceLrOnPlateauSettings
        {
            Patience = 1, Factor = 0.1, Monitor = "loss", MinDelta = 0, Cooldown = 2,
        });
        var reduce = (ReduceLrOnPlateau)engine.Callbacks[0];
        engine.TrainBegin();
        // Drive some state from a first run: best 0.5, a reduction, cooldown 2.
        engine.BeginEpoch(0);
        engine.EndEpoch(Logs(("loss", 0.5)));
        engine.BeginEpoch(1);
        engine.EndEpoch(Logs(("loss", 0.6)));
        Assert.Equal(0.5, reduce.Best);
        Assert.Equal(2, reduce.CooldownCounter);

        engine.TrainBegin();

        Assert.Null(reduce.Best);
        Assert.Equal(0, reduce.Wait);
        Assert.Equal(0, reduce.CooldownCounter);
    }
}
