using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Rules;

/// <summary>The rules in <see cref="EarlyStopping"/>'s documentation, one by one.</summary>
public class EarlyStoppingRuleTests
{
    private const string Name = "early-stopping";

    /// <summary>Feeds one value per epoch and records the callback's wait after each epoch end.</summary>
    private static (List<int> Waits, List<EpochEnded> Ends, EarlyStopping Callback, CallbackEngine Engine) Step(
        EarlyStoppingSettings settings, params double[] values)
    {
        var engine = Runner.Engine(0.01, settings);
        var es = (EarlyStopping)engine.Callbacks[0];
        engine.TrainBegin();
        var waits = new List<int>();
        var ends = new List<EpochEnded>();
        for (var epoch = 0; epoch < values.Length; epoch++)
        {
            engine.BeginEpoch(epoch);
            ends.Add(engine.EndEpoch(Logs((settings.Monitor, values[epoch]))));
            waits.Add(es.Wait);
        }
        return (waits, ends, es, engine);
    }

    [Fact]
    public void Wait_counts_every_monitored_epoch_and_an_improvement_sets_it_back_to_zero()
    {
        var (waits, _, _, _) = Step(new EarlyStoppingSettings { Monitor = "loss", Patience = 10 }, 3, 2, 2.5, 2.5, 1, 1);
        Assert.Equal([0, 0, 1, 2, 0, 1], waits);
    }

    [Fact]
    public void Wait_is_incremented_before_the_test_so_patience_one_stops_at_the_first_epoch_without_improvement()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 1 }, Of("loss", 1, 0.5, 0.6, 0.4));
        Assert.Equal(2, run.StoppedAfterEpoch);
    }

    [Fact]
    public void An_improvement_that_does_not_beat_the_baseline_keeps_the_wait_counting()
    {
        // baseline 1.0: epochs 0-2 improve but stay above it (wait 1, 2, 3); epoch 3 beats it (wait 0).
        var (waits, ends, es, _) = Step(new EarlyStoppingSettings { Monitor = "loss", Patience = 2, Baseline = 1.0 },
            3, 2, 1.5, 0.9, 0.95, 0.97);
        Assert.Equal([1, 2, 3, 0, 1, 2], waits);
        // An improving epoch never stops, even past patience (epochs 1 and 2 have wait >= 2).
        Assert.Equal([false, false, false, false, false, true], ends.Select(e => e.StopTraining));
        Assert.Equal(5, es.StoppedEpoch);
    }

    [Fact]
    public void Baseline_in_max_mode_must_be_exceeded()
    {
        var (waits, _, _, _) = Step(new EarlyStoppingSettings { Monitor = "val_accuracy", Patience = 5, Baseline = 0.8 },
            0.5, 0.79, 0.8, 0.81);
        Assert.Equal([1, 2, 3, 0], waits); // 0.8 equals the baseline: not beyond it
    }

    [Fact]
    public void A_run_that_never_beats_the_baseline_stops_with_a_baseline_message()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 3, Baseline = 0.1 }, Of("loss", 0.9, 0.8, 0.85, 0.86));
        var stop = Assert.Single(run.All<StopRequested>());
        Assert.Equal(StopKind.NoImprovement, stop.Reason.Kind);
        Assert.Equal(2, stop.Epoch);
        Assert.Equal("loss did not beat the baseline 0.1 in 3 epochs (best 0.8 at epoch 2)", stop.Reason.Message);
    }

    [Fact]
    public void Stopped_epoch_is_the_epoch_that_stopped_and_zero_without_a_stop()
    {
        var stopped = Step(new EarlyStoppingSettings { Monitor = "loss", Patience = 2 }, 1, 2, 3);
        Assert.Equal(2, stopped.Callback.StoppedEpoch);
        var running = Step(new EarlyStoppingSettings { Monitor = "loss", Patience = 2 }, 4, 3, 2, 1);
        Assert.Equal(0, running.Callback.StoppedEpoch);
        Assert.False(running.Engine.StopTraining);
    }

    [Fact]
    public void Stop_decision_names_the_epoch_the_kind_and_the_best_epoch()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "val_loss", Patience = 2 }, Of("val_loss", 0.5, 0.25, 0.3, 0.4, 0.1));
        var stop = Assert.Single(run.All<StopRequested>());
        Assert.Equal(new StopRequested(Name, 3, null,
            new StopReason(StopKind.NoImprovement, Name, "val_loss did not improve for 2 epochs (best 0.25 at epoch 2)")), stop);
        Assert.Equal(stop.Reason, run.Engine.StopReason);
    }

    [Fact]
    public void A_first_NaN_counts_as_an_improvement_and_patience_zero_stops_at_the_next_epoch()
    {
        // Keras 3.16: best starts as None, so the first value is an improvement whatever it is
        // (wait back to 0); the second NaN is not (comparisons with NaN are false) and stops.
        var (waits, ends, es, _) = Step(new EarlyStoppingSettings { Monitor = "loss", Patience = 0 }, double.NaN, double.NaN);
        Assert.Equal([0, 1], waits);
        Assert.Equal([false, true], ends.Select(e => e.StopTraining));
        Assert.Equal(1, es.StoppedEpoch);
    }

    [Fact]
    public void Best_starts_as_none_and_a_first_nan_becomes_a_best_nothing_improves_on()
    {
        var engine = Runner.Engine(0.01, new EarlyStoppingSettings { Monitor = "loss", Patience = 10 });
        engine.TrainBegin();
        Assert.Null(((EarlyStopping)engine.Callbacks[0]).Best);

        var (waits, _, es, _) = Step(new EarlyStoppingSettings { Monitor = "loss", Patience = 10 }, double.NaN, 1.0, 0.5, double.NegativeInfinity);
        Assert.Equal([0, 1, 2, 3], waits);
        Assert.True(double.IsNaN(es.Best!.Value));
        Assert.Equal(0, es.BestEpoch);
        var (maxWaits, _, max, _) = Step(new EarlyStoppingSettings { Monitor = "accuracy", Patience = 10 }, double.NaN, 0.9);
        Assert.Equal([0, 1], maxWaits);
        Assert.True(double.IsNaN(max.Best!.Value));
    }

    [Theory]
    [InlineData("loss", double.PositiveInfinity, 5.0)] // the worst end of the scale: a later finite value improves on it
    [InlineData("accuracy", double.NegativeInfinity, 0.1)]
    public void A_first_infinite_value_is_the_best_until_a_finite_one_improves_on_it(string monitor, double first, double next)
    {
        var (waits, _, es, _) = Step(new EarlyStoppingSettings { Monitor = monitor, Patience = 10 }, first, next);
        Assert.Equal([0, 0], waits);
        Assert.Equal(next, es.Best);
        Assert.Equal(1, es.BestEpoch);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(-0.1)] // Keras takes abs(min_delta)
    public void Min_delta_is_the_margin_an_improvement_needs(double minDelta)
    {
        var (waits, _, es, _) = Step(new EarlyStoppingSettings { Monitor = "loss", Patience = 10, MinDelta = minDelta }, 1.0, 0.95, 0.85, 0.8);
        Assert.Equal([0, 1, 0, 1], waits);
        Assert.Equal(0.85, es.Best);
        Assert.Equal(2, es.BestEpoch);
    }

    [Fact]
    public void Best_weights_are_marked_at_the_first_monitored_epoch_and_at_each_improvement()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 10, RestoreBestWeights = true },
            Of("loss", 1.0, 0.5, 0.7, 0.4));
        // Epoch 0: "if best weights were never set, the current weights are the best", then its improvement.
        Assert.Equal([0, 0, 1, 3], run.All<BestWeightsMarked>().Select(m => m.Epoch));
    }

    [Fact]
    public void Best_weights_are_restored_at_the_end_even_without_a_stop()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 10, RestoreBestWeights = true },
            Of("loss", 1.0, 0.5, 0.7, 0.6));
        Assert.Null(run.StoppedAfterEpoch);
        Assert.Equal(1, run.TrainEnded!.RestoredWeightsEpoch);
        Assert.Equal([new BestWeightsRestored(Name, 1)], run.TrainEnded.Decisions);
    }

    [Fact]
    public void Without_restore_best_weights_nothing_is_marked_or_restored()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 1 }, Of("loss", 1.0, 2.0));
        Assert.Empty(run.All<BestWeightsMarked>());
        Assert.Null(run.TrainEnded!.RestoredWeightsEpoch);
    }

    [Fact]
    public void When_the_first_monitored_value_is_nan_it_stays_the_best_and_its_epoch_is_restored()
    {
        // Keras 3.16: epoch 1 (the first monitored) is the best, even NaN; nothing improves on it.
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 3, RestoreBestWeights = true, StartFromEpoch = 1 },
            Of("loss", 0.1, double.NaN, double.NaN, double.NaN, double.NaN));
        Assert.Equal(4, run.StoppedAfterEpoch); // wait 0 at epoch 1, then 1, 2, 3 at epochs 2, 3, 4
        Assert.Equal(1, run.TrainEnded!.RestoredWeightsEpoch);
        Assert.Equal("loss did not improve for 3 epochs (best nan at epoch 2)", run.Engine.StopReason!.Message);
    }

    [Fact]
    public void Epochs_before_start_from_epoch_are_ignored_even_when_better()
    {
        var (waits, ends, es, _) = Step(new EarlyStoppingSettings { Monitor = "loss", Patience = 1, StartFromEpoch = 3 },
            0.1, 0.2, 0.3, 0.5, 0.6);
        Assert.Equal([0, 0, 0, 0, 1], waits);
        Assert.Equal(0.5, es.Best);
        Assert.Equal(3, es.BestEpoch);
        Assert.Equal(4, es.StoppedEpoch);
        Assert.All(ends.Take(4), e => Assert.Empty(e.Decisions));
    }

    [Fact]
    public void A_missing_monitor_warns_with_the_available_metrics_and_changes_nothing()
    {
        var engine = Runner.Engine(0.01, new EarlyStoppingSettings { Monitor = "val_loss", Patience = 0, RestoreBestWeights = true });
        var es = (EarlyStopping)engine.Callbacks[0];
        engine.BeginEpoch(0);
        engine.EndEpoch(Logs(("val_loss", 1.0)));
        engine.BeginEpoch(1);
        var end = engine.EndEpoch(Logs(("loss", 0.5), ("accuracy", 0.9)));
        Assert.Equal([new CallbackWarning(Name,
            "Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss,accuracy")], end.Decisions);
        Assert.False(end.StopTraining);
        Assert.Equal(0, es.Wait);
        Assert.Equal(1.0, es.Best);
    }

    [Fact]
    public void A_missing_monitor_warns_during_warm_up_too()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "val_loss", StartFromEpoch = 5 }, [Epoch(("loss", 1.0))]);
        Assert.Single(run.All<CallbackWarning>());
    }

    // --- The Lightning extras ---

    [Theory]
    [InlineData(MonitorMode.Min, 0.1, new[] { 0.5, 0.1, 0.09, 0.05 }, 2)]   // strictly below the threshold
    [InlineData(MonitorMode.Max, 0.9, new[] { 0.5, 0.9, 0.95, 0.99 }, 2)]   // strictly above it
    public void Stopping_threshold_stops_as_soon_as_the_monitor_is_better_than_it(MonitorMode mode, double threshold, double[] values, int stopEpoch)
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "score", Mode = mode, Patience = 100, StoppingThreshold = threshold }, Of("score", values));
        Assert.Equal(stopEpoch, run.StoppedAfterEpoch);
        var stop = Assert.Single(run.All<StopRequested>());
        Assert.Equal(StopKind.StoppingThresholdReached, stop.Reason.Kind);
        Assert.Contains($"reached the stopping threshold {threshold}", stop.Reason.Message);
        Assert.Equal(stopEpoch, ((EarlyStopping)run.Engine.Callbacks[0]).StoppedEpoch);
    }

    [Theory]
    [InlineData(MonitorMode.Min, 5.0, new[] { 1.0, 5.0, 5.5 }, 2, "score = 5.5 went past the divergence threshold 5.0")]   // strictly above (worse than) it
    [InlineData(MonitorMode.Max, 0.2, new[] { 0.5, 0.2, 0.1 }, 2, "score = 0.1 went past the divergence threshold 0.2")]   // strictly below it
    public void Divergence_threshold_stops_as_soon_as_the_monitor_is_worse_than_it(
        MonitorMode mode, double threshold, double[] values, int stopEpoch, string message)
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "score", Mode = mode, Patience = 100, DivergenceThreshold = threshold }, Of("score", values));
        Assert.Equal(stopEpoch, run.StoppedAfterEpoch);
        var stop = Assert.Single(run.All<StopRequested>());
        Assert.Equal(StopKind.DivergenceThresholdExceeded, stop.Reason.Kind);
        Assert.Equal(message, stop.Reason.Message);
    }

    [Theory]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")] // an "improvement" in min mode, but not finite
    public void Check_finite_stops_on_a_non_finite_monitor(double bad, string repr)
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 5, CheckFinite = true }, Of("loss", 1.0, bad, 0.5));
        Assert.Equal(1, run.StoppedAfterEpoch);
        var stop = Assert.Single(run.All<StopRequested>());
        Assert.Equal(StopKind.NonFiniteMonitor, stop.Reason.Kind);
        Assert.StartsWith($"loss = {repr} is not finite", stop.Reason.Message);
    }

    [Fact]
    public void Extras_are_off_by_default()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 5 }, Of("loss", 1.0, double.NaN, 1e-9, 1e9));
        Assert.Null(run.StoppedAfterEpoch);
    }

    [Fact]
    public void Keras_rule_is_checked_first_and_when_it_stops_the_extras_are_not_checked()
    {
        // patience 0: the NaN epoch is Keras's "no improvement" stop, not check-finite's.
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 0, CheckFinite = true, DivergenceThreshold = 0.5 },
            Of("loss", 0.1, double.NaN));
        var stop = Assert.Single(run.All<StopRequested>());
        Assert.Equal(StopKind.NoImprovement, stop.Reason.Kind);
    }

    [Fact]
    public void Extras_are_checked_after_an_improvement()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = 3, StoppingThreshold = 0.5, RestoreBestWeights = true },
            Of("loss", 1.0, 0.4));
        Assert.Equal(1, run.StoppedAfterEpoch);
        Assert.Equal(1, run.TrainEnded!.RestoredWeightsEpoch); // the improvement was taken before the stop
        Assert.Equal(StopKind.StoppingThresholdReached, run.Engine.StopReason!.Kind);
    }

    [Fact]
    public void Negative_patience_is_a_configuration_error()
    {
        var e = Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.01, new EarlyStoppingSettings { Patience = -1 }));
        Assert.Equal("patience", e.Field);
        Assert.Equal(Name, e.Callback);
    }

    [Fact]
    public void Negative_start_from_epoch_is_a_configuration_error()
    {
        var e = Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.01, new EarlyStoppingSettings { StartFromEpoch = -2 }));
        Assert.Equal("start-from-epoch", e.Field);
        Assert.Equal("-2", e.Value);
    }
}
