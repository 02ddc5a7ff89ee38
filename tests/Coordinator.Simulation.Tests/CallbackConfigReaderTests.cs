using Akka.Configuration;
using Coordinator.Callbacks;
using Coordinator.Callbacks.Scheduling;
using Coordinator.Configuration;

namespace Coordinator.Simulation.Tests;

public sealed class CallbackConfigReaderTests
{
    private static IReadOnlyList<CallbackSettings> Read(string hocon) =>
        CallbackConfigReader.Read(ConfigurationFactory.ParseString(hocon));

    [Fact]
    public void The_shipped_example_reads_with_every_value()
    {
        var all = CallbackConfigReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "callbacks.example.conf"));

        Assert.Equal(["learning-rate-scheduler", "reduce-lr-on-plateau", "early-stopping", "model-checkpoint", "terminate-on-nan"],
            all.Select(s => s.Type));
        var schedule = Assert.IsType<ExponentialAfterSchedule>(Assert.IsType<LearningRateSchedulerSettings>(all[0]).Schedule);
        Assert.Equal(new ExponentialAfterSchedule(10, 0.1), schedule);
        var plateau = Assert.IsType<ReduceLrOnPlateauSettings>(all[1]);
        Assert.Equal((0.2, 5, 0.0001, 0, 0.001, MonitorMode.Auto), (plateau.Factor, plateau.Patience, plateau.MinDelta, plateau.Cooldown, plateau.MinLr, plateau.Mode));
        var stop = Assert.IsType<EarlyStoppingSettings>(all[2]);
        Assert.Equal(("val_loss", 3, (double?)null, true), (stop.Monitor, stop.Patience, stop.Baseline, stop.RestoreBestWeights));
        var ckpt = Assert.IsType<ModelCheckpointSettings>(all[3]);
        Assert.Equal(("ckpt-{epoch:02d}-{val_loss:.4f}.weights", true, true, (int?)null, (double?)null),
            (ckpt.Filepath, ckpt.SaveBestOnly, ckpt.SaveWeightsOnly, ckpt.SaveFreqBatches, ckpt.InitialValueThreshold));
    }

    [Fact]
    public void Left_out_arguments_take_Keras_defaults()
    {
        var all = Read("callbacks = [ { type = reduce-lr-on-plateau }, { type = early-stopping }, { type = model-checkpoint, filepath = x } ]");
        Assert.Equal(new ReduceLrOnPlateauSettings(), all[0]);
        Assert.Equal(new EarlyStoppingSettings(), all[1]);
        Assert.Equal(new ModelCheckpointSettings("x"), all[2]);
        var plateau = (ReduceLrOnPlateauSettings)all[0];
        Assert.Equal(("val_loss", 0.1, 10, 1e-4, 0.0), (plateau.Monitor, plateau.Factor, plateau.Patience, plateau.MinDelta, plateau.MinLr));
    }

    [Fact]
    public void Snake_case_names_and_verbose_are_accepted()
    {
        var s = Assert.IsType<EarlyStoppingSettings>(Read("callbacks = [ { type = early-stopping, min_delta = 0.5, restore_best_weights = true, verbose = 1 } ]")[0]);
        Assert.Equal((0.5, true, 1), (s.MinDelta, s.RestoreBestWeights, s.Verbose));
    }

    [Fact]
    public void An_integer_save_freq_counts_batches()
    {
        var s = Assert.IsType<ModelCheckpointSettings>(Read("callbacks = [ { type = model-checkpoint, filepath = x, save-freq = 7, save-top-k = 2, save-last = true } ]")[0]);
        Assert.Equal((7, 2, true), (s.SaveFreqBatches, s.SaveTopK, s.SaveLast));
    }

    [Theory]
    [InlineData("{ type = early-stop }", "callbacks[0].type = early-stop", "unknown callback type")]
    [InlineData("{ type = early-stopping, patienc = 3 }", "callbacks[0].patienc = 3", "unknown setting for early-stopping")]
    [InlineData("{ type = early-stopping, patience = three }", "callbacks[0].patience = three", "whole number")]
    [InlineData("{ type = early-stopping, patience = 2.5 }", "callbacks[0].patience = 2.5", "whole number")]
    [InlineData("{ type = early-stopping, min-delta = big }", "callbacks[0].min-delta = big", "must be a number")]
    [InlineData("{ type = early-stopping, mode = maximum }", "callbacks[0].mode = maximum", "auto, min or max")]
    [InlineData("{ type = early-stopping, restore-best-weights = maybe }", "callbacks[0].restore-best-weights = maybe", "true or false")]
    [InlineData("{ type = model-checkpoint }", "callbacks[0].filepath = (missing)", "file name template")]
    [InlineData("{ type = model-checkpoint, filepath = x, save-freq = hourly }", "callbacks[0].save-freq = hourly", "\"epoch\" or a whole number")]
    [InlineData("{ type = learning-rate-scheduler }", "callbacks[0].schedule = (missing)", "kinds: constant")]
    [InlineData("{ type = learning-rate-scheduler, schedule { kind = linear } }", "callbacks[0].schedule.kind = linear", "unknown schedule kind")]
    [InlineData("{ type = learning-rate-scheduler, schedule { kind = step-decay, initial-lr = 0.1, drop = 0.5 } }", "callbacks[0].schedule.epochs-per-drop = (missing)", "whole number")]
    [InlineData("{ type = learning-rate-scheduler, schedule { kind = constant, value = 0.1, rate = 2 } }", "callbacks[0].schedule.rate = 2", "unknown setting for schedule kind constant")]
    public void Bad_settings_name_the_field_the_value_and_what_is_allowed(string entry, string fieldAndValue, string allowed)
    {
        var e = Assert.Throws<ConfigurationError>(() => Read($"callbacks = [ {entry} ]"));
        Assert.StartsWith(fieldAndValue + ":", e.Message);
        Assert.Contains(allowed, e.Message);
    }

    [Fact]
    public void Settings_that_only_the_callback_can_judge_fail_when_it_is_built()
    {
        var settings = Read("callbacks = [ { type = reduce-lr-on-plateau, factor = 1.0 } ]");
        var e = Assert.Throws<CallbackConfigurationException>(() => new CallbackEngine(settings, new RunInfo(0.01)));
        Assert.Equal(("reduce-lr-on-plateau", "factor", "1"), (e.Callback, e.Field, e.Value));
        Assert.Contains(">= 1.0", e.Message);

        var auto = Read("callbacks = [ { type = early-stopping, monitor = val_f1_metric } ]");
        var m = Assert.Throws<CallbackConfigurationException>(() => new CallbackEngine(auto, new RunInfo(0.01)));
        Assert.Contains("val_f1_metric", m.Message);
        Assert.Contains("mode = min or mode = max", m.Message);
    }

    [Fact]
    public void Every_schedule_kind_reads()
    {
        var all = Read("""
            callbacks = [
              { type = learning-rate-scheduler, schedule { kind = constant, value = 0.1 } }
              { type = learning-rate-scheduler, schedule { kind = step-decay, initial-lr = 0.1, drop = 0.5, epochs-per-drop = 10 } }
              { type = learning-rate-scheduler, schedule { kind = multiply-every, every = 5, factor = 0.5 } }
              { type = learning-rate-scheduler, schedule { kind = inverse-time, initial-lr = 0.1, decay = 0.5 } }
              { type = learning-rate-scheduler, schedule { kind = cosine, initial-lr = 0.1, decay-epochs = 20, alpha = 0.1 } }
              { type = learning-rate-scheduler, schedule { kind = piecewise, boundaries = [5, 10], values = [0.1, 0.01, 0.001] } }
              { type = learning-rate-scheduler, schedule { kind = warmup, epochs = 5, workers = 4, target-lr = 0.4, then { kind = step-decay, initial-lr = 0.4, drop = 0.1, epochs-per-drop = 30 } } }
            ]
            """);
        var specs = all.Cast<LearningRateSchedulerSettings>().Select(s => s.Schedule).ToList();
        Assert.Equal(new ConstantSchedule(0.1), specs[0]);
        Assert.Equal(new StepDecaySchedule(0.1, 0.5, 10), specs[1]);
        Assert.Equal(new MultiplyEverySchedule(5, 0.5), specs[2]);
        Assert.Equal(new InverseTimeSchedule(0.1, 0.5), specs[3]);
        Assert.Equal(new CosineSchedule(0.1, 20, 0.1), specs[4]);
        var piecewise = Assert.IsType<PiecewiseSchedule>(specs[5]);
        Assert.Equal([5, 10], piecewise.Boundaries);
        Assert.Equal([0.1, 0.01, 0.001], piecewise.Values);
        var warmup = Assert.IsType<WarmupSchedule>(specs[6]);
        Assert.Equal((5, 4, 0.4, new StepDecaySchedule(0.4, 0.1, 30)), (warmup.Epochs, warmup.Workers, warmup.TargetLr, warmup.Then));
    }
}
