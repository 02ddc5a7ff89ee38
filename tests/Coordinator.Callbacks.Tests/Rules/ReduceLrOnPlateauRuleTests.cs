using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Rules;

/// <summary>The rules in <see cref="ReduceLrOnPlateau"/>'s documentation, one by one.</summary>
public class ReduceLrOnPlateauRuleTests
{
    private const string Name = "reduce-lr-on-plateau";

    private static double F32(double x) => (float)x;

    private sealed record Step(int Wait, int Cooldown, double? Best, double Lr, EpochEnded End);

    private static List<Step> Steps(ReduceLrOnPlateauSettings settings, double initialLr, params double[] values)
    {
        var engine = Runner.Engine(initialLr, settings);
        var cb = (ReduceLrOnPlateau)engine.Callbacks[0];
        engine.TrainBegin();
        var steps = new List<Step>();
        for (var epoch = 0; epoch < values.Length; epoch++)
        {
            engine.BeginEpoch(epoch);
            var end = engine.EndEpoch(Logs((settings.Monitor, values[epoch])));
            steps.Add(new Step(cb.Wait, cb.CooldownCounter, cb.Best, engine.LearningRate, end));
        }
        return steps;
    }

    private static IEnumerable<int> ReductionEpochs(IEnumerable<Step> steps) =>
        steps.SelectMany(s => s.End.Decisions.OfType<LearningRateChanged>()).Select(c => c.Epoch);

    private static ReduceLrOnPlateauSettings Flat(int patience, int cooldown) =>
        new() { Monitor = "val_loss", Patience = patience, Cooldown = cooldown, Factor = 0.5, MinDelta = 0 };

    [Fact]
    public void Without_cooldown_a_reduction_comes_every_patience_epochs()
    {
        var steps = Steps(Flat(2, 0), 1.0, 1, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal([2, 4, 6], ReductionEpochs(steps));
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1], steps.Select(s => s.Wait));
    }

    [Fact]
    public void Cooldown_is_left_before_the_test_so_a_cooldown_of_one_pauses_nothing()
    {
        // Keras decrements the cooldown counter first; at 0 the same epoch already counts as waiting.
        var steps = Steps(Flat(2, 1), 1.0, 1, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal([2, 4, 6], ReductionEpochs(steps));
        Assert.Equal([0, 0, 1, 0, 1, 0, 1, 0], steps.Select(s => s.Cooldown));
    }

    [Fact]
    public void During_cooldown_the_wait_is_held_at_zero()
    {
        var steps = Steps(Flat(2, 2), 1.0, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal([2, 5, 8], ReductionEpochs(steps));
        Assert.Equal([0, 0, 2, 1, 0, 2, 1, 0, 2], steps.Select(s => s.Cooldown));
        Assert.Equal([0, 1, 0, 0, 1, 0, 0, 1, 0], steps.Select(s => s.Wait));
    }

    [Fact]
    public void An_improvement_during_cooldown_becomes_the_best()
    {
        var steps = Steps(Flat(1, 3), 1.0, 1.0, 1.0, 0.5, 0.7, 0.7, 0.7);
        // epoch 1 reduces (cooldown 3); epoch 2 improves inside the cooldown (best 0.5); epoch 3 is in
        // it; epoch 4 leaves it (counter 0 after its decrement) and reduces against best 0.5.
        Assert.Equal([1, 4], ReductionEpochs(steps));
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.5, 0.5], steps.Select(s => s.Best));
        Assert.Equal([F32(1.0), F32(0.5), F32(0.5), F32(0.5), F32(0.25), F32(0.25)], steps.Select(s => s.Lr));
    }

    [Fact]
    public void Improvement_needs_min_delta_default_1e_minus_4()
    {
        var steps = Steps(new ReduceLrOnPlateauSettings { Monitor = "val_loss", Patience = 1, Factor = 0.5 }, 1.0, 1.0, 0.99995, 0.9998);
        Assert.Equal([1], ReductionEpochs(steps)); // 0.99995 is within 1e-4 of 1.0; 0.9998 is not
        Assert.Equal([0, 0, 0], steps.Select(s => s.Wait));
    }

    [Fact]
    public void Max_mode_reduces_when_the_metric_stops_rising()
    {
        var steps = Steps(new ReduceLrOnPlateauSettings { Monitor = "val_accuracy", Patience = 1, Factor = 0.5, MinDelta = 0 }, 1.0, 0.5, 0.6, 0.6, 0.55);
        Assert.Equal([2, 3], ReductionEpochs(steps));
    }

    [Fact]
    public void The_new_rate_is_lr_times_factor_rounded_to_float32()
    {
        var steps = Steps(new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 1, Factor = 0.3, MinDelta = 0 }, 0.1, 1, 1, 1);
        var changes = steps.SelectMany(s => s.End.Decisions.OfType<LearningRateChanged>()).ToList();
        Assert.Equal(2, changes.Count);
        Assert.Equal(new LearningRateChanged(Name, 1, F32(0.1), F32(F32(0.1) * 0.3), LearningRateChangeReason.Plateau), changes[0]);
        Assert.Equal(F32(changes[0].To * 0.3), changes[1].To);
    }

    [Fact]
    public void The_new_rate_is_clamped_to_min_lr()
    {
        var steps = Steps(new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 1, Factor = 0.1, MinDelta = 0, MinLr = 0.005 }, 0.01, 1, 1, 1, 1);
        Assert.Equal([F32(0.01), F32(0.005), F32(0.005), F32(0.005)], steps.Select(s => s.Lr));
        Assert.Single(ReductionEpochs(steps));
    }

    [Fact]
    public void A_rate_at_float32_min_lr_is_not_reduced_and_the_wait_keeps_counting()
    {
        // The rate float32(0.1) = 0.10000000149 is above the double 0.1 but not above float32(0.1):
        // Keras's guard `lr > np.float32(min_lr)` makes this no reduction at all (no decision).
        Assert.True(F32(0.1) > 0.1);
        var steps = Steps(new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 1, MinDelta = 0, MinLr = 0.1 }, 0.1, 1, 1, 1, 1);
        Assert.Empty(ReductionEpochs(steps));
        Assert.Equal([0, 1, 2, 3], steps.Select(s => s.Wait));
        Assert.All(steps, s => Assert.Equal(F32(0.1), s.Lr));
    }

    [Fact]
    public void The_rate_goes_into_the_logs_before_any_reduction()
    {
        var steps = Steps(new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 1, Factor = 0.5, MinDelta = 0 }, 0.2, 1, 1);
        Assert.Equal(F32(0.2), steps[1].End.Logs["learning_rate"]);
        Assert.Equal(F32(0.1), steps[1].End.LearningRateAfter);
        Assert.Equal(F32(0.2), steps[1].End.LearningRate);
    }

    [Fact]
    public void A_missing_monitor_warns_and_changes_nothing_not_even_the_cooldown()
    {
        var engine = Runner.Engine(1.0, Flat(1, 3));
        var cb = (ReduceLrOnPlateau)engine.Callbacks[0];
        engine.BeginEpoch(0);
        engine.EndEpoch(Logs(("val_loss", 1.0)));
        engine.BeginEpoch(1);
        engine.EndEpoch(Logs(("val_loss", 1.0))); // reduces; cooldown 3
        Assert.Equal(3, cb.CooldownCounter);

        engine.BeginEpoch(2);
        var end = engine.EndEpoch(Logs(("loss", 0.3)));

        Assert.Equal([new CallbackWarning(Name,
            "Learning rate reduction is conditioned on metric `val_loss` which is not available. Available metrics are: loss,learning_rate.")],
            end.Decisions);
        Assert.Equal(3, cb.CooldownCounter);
        Assert.Equal(0, cb.Wait);
        Assert.Equal(1.0, cb.Best);
        Assert.Equal(F32(0.5), engine.LearningRate);
        Assert.Equal(F32(0.5), end.Logs["learning_rate"]); // the rate is logged all the same
    }

    [Theory]
    [InlineData(1.0, "factor")]
    [InlineData(1.5, "factor")]
    [InlineData(0.0, "factor")]
    [InlineData(-0.5, "factor")]
    [InlineData(double.NaN, "factor")]
    public void Factor_must_be_below_one_and_above_zero(double factor, string field)
    {
        var e = Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.1, new ReduceLrOnPlateauSettings { Factor = factor }));
        Assert.Equal(field, e.Field);
        Assert.Equal(Name, e.Callback);
        if (factor >= 1) Assert.Contains("does not support a factor >= 1.0", e.Message);
    }

    [Fact]
    public void Other_settings_are_checked()
    {
        Assert.Equal("patience", Assert.Throws<CallbackConfigurationException>(() =>
            Runner.Engine(0.1, new ReduceLrOnPlateauSettings { Patience = -1 })).Field);
        Assert.Equal("cooldown", Assert.Throws<CallbackConfigurationException>(() =>
            Runner.Engine(0.1, new ReduceLrOnPlateauSettings { Cooldown = -1 })).Field);
        foreach (var minLr in new[] { -1e-3, double.NaN, double.PositiveInfinity })
            Assert.Equal("min-lr", Assert.Throws<CallbackConfigurationException>(() =>
                Runner.Engine(0.1, new ReduceLrOnPlateauSettings { MinLr = minLr })).Field);
        Assert.Equal("mode", Assert.Throws<CallbackConfigurationException>(() =>
            Runner.Engine(0.1, new ReduceLrOnPlateauSettings { Monitor = "val_custom_metric" })).Field);
        Runner.Engine(0.1, new ReduceLrOnPlateauSettings { Monitor = "val_custom_metric", Mode = MonitorMode.Max, Factor = 0.99, Patience = 0 });
    }

    [Fact]
    public void Keras_defaults()
    {
        var s = new ReduceLrOnPlateauSettings();
        Assert.Equal(("val_loss", 0.1, 10, MonitorMode.Auto, 1e-4, 0, 0.0), (s.Monitor, s.Factor, s.Patience, s.Mode, s.MinDelta, s.Cooldown, s.MinLr));
    }
}
