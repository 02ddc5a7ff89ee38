using Coordinator.Callbacks.Monitoring;
using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Keras;

/// <summary>
/// Ports of keras/src/callbacks/early_stopping_test.py (Keras 3, EarlyStoppingTest). Tests that
/// train a real model are translated into the metric sequence that reaches the callback and
/// assert what the Keras test asserts about the callback.
/// </summary>
public class KerasEarlyStoppingTests
{
    // Keras: test_early_stopping — the (mode, monitor) -> monitor_op table, on a model compiled
    // with metrics mse, acc, accuracy, hinge, f1_score; and monitor="unknown" raises ValueError.
    [Theory]
    [InlineData(MonitorMode.Max, "val_mse", Direction.Maximize)]
    [InlineData(MonitorMode.Min, "val_loss", Direction.Minimize)]
    [InlineData(MonitorMode.Auto, "val_mse", Direction.Minimize)]
    [InlineData(MonitorMode.Auto, "loss", Direction.Minimize)]
    [InlineData(MonitorMode.Auto, "acc", Direction.Maximize)]
    [InlineData(MonitorMode.Auto, "val_accuracy", Direction.Maximize)]
    [InlineData(MonitorMode.Auto, "hinge", Direction.Minimize)]
    [InlineData(MonitorMode.Auto, "f1_score", Direction.Maximize)]
    public void test_early_stopping(MonitorMode mode, string monitor, Direction expected)
    {
        Assert.Equal(expected, MetricDirections.Resolve("early-stopping", monitor, mode));

        // The callback acts on that direction: with patience 0, a step in the wrong direction
        // after epoch 0 stops training; a step in the right direction does not.
        var worse = expected == Direction.Minimize ? 2.0 : 0.5;
        var better = expected == Direction.Minimize ? 0.5 : 2.0;
        var settings = new EarlyStoppingSettings { Monitor = monitor, Mode = mode, Patience = 0 };
        Assert.Equal(1, Runner.Run(settings, Of(monitor, 1.0, worse)).StoppedAfterEpoch);
        Assert.Null(Runner.Run(settings, Of(monitor, 1.0, better)).StoppedAfterEpoch);
    }

    // Keras: test_early_stopping — `EarlyStopping(patience=patience, monitor="unknown")` raises
    // ValueError (Keras at the first epoch end; here at construction, by design).
    [Fact]
    public void test_early_stopping_unknown_monitor_raises()
    {
        var e = Assert.Throws<CallbackConfigurationException>(() =>
            Runner.Engine(0.01, new EarlyStoppingSettings { Monitor = "unknown", Patience = 0 }));
        Assert.Equal("mode", e.Field);
        Assert.Contains("unknown", e.Message);
    }

    // Keras: test_early_stopping_patience — losses [10, 9, 8, 9, 8.9, 8.8, 8.7, 8.6, 8.5] fed to
    // on_epoch_end; stopped_epoch == max(patience, 1) + 2 for patience 0..3.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void test_early_stopping_patience(int patience)
    {
        double[] losses = [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5];
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "loss", Patience = patience }, Of("loss", losses));

        var stopper = (EarlyStopping)run.Engine.Callbacks[0];
        Assert.Equal(Math.Max(patience, 1) + 2, stopper.StoppedEpoch);
        Assert.Equal(Math.Max(patience, 1) + 2, run.StoppedAfterEpoch);
        var stop = Assert.Single(run.All<StopRequested>());
        Assert.Equal(StopKind.NoImprovement, stop.Reason.Kind);
    }

    // Keras: test_early_stopping_reuse — the same EarlyStopping (patience 3, monitor mse) is used for
    // two fits of 20 epochs; each runs at least `patience` epochs. Here the same engine goes through
    // on_train_begin twice; mse does not improve after epoch 0 in either run. A run's end is read from
    // the StopRequested decision: the engine's own StopTraining flag is not reset by TrainBegin (an
    // engine serves one run; Keras's fit() resets model.stop_training itself).
    [Fact]
    public void test_early_stopping_reuse()
    {
        const int patience = 3;
        var engine = Runner.Engine(0.01, new EarlyStoppingSettings { Monitor = "mse", Patience = patience });
        var stopper = (EarlyStopping)engine.Callbacks[0];
        for (var fit = 0; fit < 2; fit++)
        {
            engine.TrainBegin();
            var epochs = 0;
            for (var epoch = 0; epoch < 20; epoch++)
            {
                engine.BeginEpoch(epoch);
                var end = engine.EndEpoch(Logs(("mse", 0.25)));
                epochs++;
                if (end.Decisions.OfType<StopRequested>().Any()) break;
            }
            engine.EndTrain();
            Assert.True(epochs >= patience, $"fit {fit} ran {epochs} epochs");
            Assert.Equal(patience + 1, epochs); // epoch 0 sets best, then 3 epochs without improvement
            Assert.Equal(patience, stopper.StoppedEpoch);
        }
    }

    // Keras: test_early_stopping_reuse_across_models (keras-team/keras#20256) — reusing the
    // callback for three fits of fresh models: on_train_begin must reset `best`, so each new run
    // is not compared with the previous run's best and runs more than `patience` epochs.
    [Fact]
    public void test_early_stopping_reuse_across_models()
    {
        const int patience = 5;
        var engine = Runner.Engine(0.01, new EarlyStoppingSettings { Monitor = "loss", Patience = patience });
        for (var model = 0; model < 3; model++)
        {
            engine.TrainBegin();
            var epochs = 0;
            for (var epoch = 0; epoch < 50; epoch++)
            {
                engine.BeginEpoch(epoch);
                // A fresh model starts high and improves; every run ends far above the previous
                // run's lowest loss only for the first run's sake: run k ranges over [0.7, 0.3] + k.
                var loss = 0.7 + model - 0.4 * Math.Min(epoch, 10) / 10.0;
                var end = engine.EndEpoch(Logs(("loss", loss)));
                epochs++;
                if (end.Decisions.OfType<StopRequested>().Any()) break;
            }
            engine.EndTrain();
            Assert.True(epochs > patience, $"model {model} ran {epochs} epochs");
            Assert.Equal(16, epochs); // improves until epoch 10, then stops after 5 flat epochs
        }
    }

    // Keras: test_state_reset_across_fit_calls (3.15, keras-team/keras#20256) — after a run that left
    // best 0.1, wait 3, stopped_epoch 5, best_epoch 5 and best weights, on_train_begin clears them:
    // best is None, wait 0, stopped_epoch 0, best_epoch 0, no best weights.
    [Fact]
    public void test_state_reset_across_fit_calls()
    {
        var engine = Runner.Engine(0.01, new EarlyStoppingSettings { Monitor = "loss", Patience = 3, RestoreBestWeights = true });
        var stopper = (EarlyStopping)engine.Callbacks[0];
        engine.TrainBegin();
        double[] losses = [0.3, 0.2, 0.15, 0.1, 0.2, 0.2, 0.2];
        for (var epoch = 0; epoch < losses.Length && !engine.StopTraining; epoch++)
        {
            engine.BeginEpoch(epoch);
            engine.EndEpoch(Logs(("loss", losses[epoch])));
        }
        Assert.Equal(((double?)0.1, 3, 6, 3, true), (stopper.Best, stopper.Wait, stopper.StoppedEpoch, stopper.BestEpoch, stopper.HasBestWeights));

        engine.TrainBegin();

        Assert.Null(stopper.Best);
        Assert.Equal((0, 0, 0, false), (stopper.Wait, stopper.StoppedEpoch, stopper.BestEpoch, stopper.HasBestWeights));
    }

    // Keras: test_early_stopping_with_baseline — baseline 0.6, patience 3, monitor mse: the fit runs
    // at least `patience` epochs. Here mse never beats the baseline: it improves for three epochs
    // (wait is not reset because the baseline is not beaten) and then stops.
    [Fact]
    public void test_early_stopping_with_baseline()
    {
        const int patience = 3;
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "mse", Patience = patience, Baseline = 0.6 },
            Of("mse", 0.9, 0.8, 0.7, 0.75, 0.65, 0.62, 0.61));
        Assert.True(run.EpochsRun >= patience);
        Assert.Equal(3, run.StoppedAfterEpoch);
        Assert.Contains("baseline", Assert.Single(run.All<StopRequested>()).Reason.Message);
    }

    // Keras: test_early_stopping_final_weights_when_restoring_model_weights, part 1 — patience 2,
    // restore_best_weights, val_loss [0.2, 0.15, 0.1, 0.11, 0.12]: stops after epoch 4 and the
    // weights of epoch 2 (the best) are put back.
    [Fact]
    public void test_early_stopping_final_weights_when_restoring_model_weights()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "val_loss", Patience = 2, RestoreBestWeights = true },
            Of("val_loss", 0.2, 0.15, 0.1, 0.11, 0.12));
        Assert.Equal(5, run.EpochsRun);
        Assert.Equal(2, run.TrainEnded!.RestoredWeightsEpoch);
        Assert.Equal(new BestWeightsRestored("early-stopping", 2), Assert.Single(run.TrainEnded.Decisions));
    }

    // Keras: same test, part 2 — "no model beats the baseline": patience 5, baseline 0.5,
    // val_loss [0.9, 0.8, 0.7, 0.71, 0.72, 0.73]: trains 5 epochs and restores epoch 2.
    [Fact]
    public void test_early_stopping_final_weights_when_restoring_model_weights_no_epoch_beats_baseline()
    {
        var run = Runner.Run(
            new EarlyStoppingSettings { Monitor = "val_loss", Patience = 5, Baseline = 0.5, RestoreBestWeights = true },
            Of("val_loss", 0.9, 0.8, 0.7, 0.71, 0.72, 0.73));
        Assert.Equal(5, run.EpochsRun);
        Assert.Equal(2, run.TrainEnded!.RestoredWeightsEpoch);
    }

    // Keras: same test, part 3 — "weight restoration when another callback requests a stop": the
    // model's stop_training is set after epoch 3; 4 epochs ran and epoch 2 is restored. Here the
    // other callback is a TerminateOnNaN that sees a NaN batch loss in epoch 3.
    [Fact]
    public void test_early_stopping_final_weights_when_restoring_model_weights_other_callback_stops()
    {
        double[] losses = [0.9, 0.8, 0.7, 0.71, 0.72, 0.73];
        var epochs = losses.Select((v, i) => Epoch(Logs(("val_loss", v)),
            Logs(("loss", i == 3 ? double.NaN : 1.0)))).ToList();
        var run = Runner.Run(
            [new EarlyStoppingSettings { Monitor = "val_loss", Patience = 5, Baseline = 0.5, RestoreBestWeights = true },
             new TerminateOnNaNSettings()],
            epochs);
        Assert.Equal(4, run.EpochsRun);
        Assert.Equal("terminate-on-nan", run.Engine.StopReason!.Source);
        Assert.Equal(2, run.TrainEnded!.RestoredWeightsEpoch);
    }

    // Keras: test_early_stopping_with_start_from_epoch, part 1 — start_from_epoch 2, patience 3:
    // the fit runs at least patience + start_from_epoch epochs. Here mse is flat from epoch 0.
    [Fact]
    public void test_early_stopping_with_start_from_epoch()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "mse", Patience = 3, StartFromEpoch = 2 },
            Of("mse", Enumerable.Repeat(0.5, 20).ToArray()));
        Assert.True(run.EpochsRun >= 3 + 2);
        Assert.Equal(5, run.StoppedAfterEpoch); // epoch 2 sets best; epochs 3, 4, 5 do not improve
    }

    // Keras: same test, part 2 — "boundary condition when patience = 0": at least start_from_epoch epochs.
    [Fact]
    public void test_early_stopping_with_start_from_epoch_patience_zero()
    {
        var run = Runner.Run(new EarlyStoppingSettings { Monitor = "mse", Patience = 0, StartFromEpoch = 2 },
            Of("mse", Enumerable.Repeat(0.5, 20).ToArray()));
        Assert.True(run.EpochsRun >= 2);
        Assert.Equal(3, run.StoppedAfterEpoch);
    }
}
