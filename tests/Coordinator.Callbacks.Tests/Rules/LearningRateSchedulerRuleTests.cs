using Coordinator.Callbacks.Scheduling;
using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Rules;

/// <summary>
/// Each schedule kind's formula and the scheduler's rate check. Expected rates were worked out in
/// Python (double arithmetic as written in the formulas) and are held as float32, as the optimizer does.
/// </summary>
public class LearningRateSchedulerRuleTests
{
    private const string Name = "learning-rate-scheduler";

    private static double F32(double x) => (float)x;

    /// <summary>The rate each epoch trains with, for <paramref name="epochs"/> epochs.</summary>
    private static List<double> Rates(ScheduleSpec schedule, int epochs, double initialLr = 0.01, int workers = 1)
    {
        var run = Runner.Run([new LearningRateSchedulerSettings(schedule)], Of("loss", Enumerable.Repeat(1.0, epochs).ToArray()), initialLr, workers);
        return run.Epochs.Select(e => e.LearningRate).ToList();
    }

    private static List<double> F32s(params double[] values) => values.Select(F32).ToList();

    [Fact]
    public void Constant_gives_the_same_rate_every_epoch()
    {
        Assert.Equal(F32s(0.05, 0.05, 0.05), Rates(new ConstantSchedule(0.05), 3));
    }

    [Fact]
    public void Step_decay_is_initial_times_drop_to_the_floor_of_epoch_over_epochs_per_drop()
    {
        Assert.Equal(F32s(0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025), Rates(new StepDecaySchedule(0.1, 0.5, 3), 9));
    }

    [Fact]
    public void Exponential_after_holds_the_rate_then_multiplies_by_exp_minus_rate_each_epoch()
    {
        // The float32 chain lr -> float32(lr * exp(-0.1)) from float32(0.01), as Keras's variable holds it.
        Assert.Equal([0.009999999776482582, 0.009999999776482582, 0.009048374369740486, 0.008187307976186275,
                      0.007408182602375746, 0.006703200750052929],
            Rates(new ExponentialAfterSchedule(2, 0.1), 6, initialLr: 0.01));
    }

    [Fact]
    public void Multiply_every_multiplies_at_positive_multiples_of_every()
    {
        Assert.Equal(F32s(0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2), Rates(new MultiplyEverySchedule(3, 0.5), 7, initialLr: 0.8));
    }

    [Fact]
    public void Inverse_time_is_initial_over_one_plus_decay_times_epoch()
    {
        Assert.Equal(F32s(0.1, 0.06666666666666667, 0.05, 0.04, 0.03333333333333333), Rates(new InverseTimeSchedule(0.1, 0.5), 5));
    }

    [Fact]
    public void Cosine_decays_to_alpha_times_initial_and_stays_there()
    {
        Assert.Equal(F32s(0.1, 0.08681980515339464, 0.05500000000000001, 0.023180194846605367,
                          0.010000000000000002, 0.010000000000000002, 0.010000000000000002),
            Rates(new CosineSchedule(0.1, 4, 0.1), 7));
        Assert.Equal(F32s(0.2, 0.15), Rates(new CosineSchedule(0.2, 2, 0.5), 2));
    }

    // Keras's CosineDecay defaults alpha to 0, which ends at a rate of exactly 0 at decay-epochs
    // (cos(pi) == -1); the scheduler refuses such a rate, so the configuration is refused before the run.
    [Theory]
    [InlineData(null, "0")]  // the default
    [InlineData(0.0, "0")]
    [InlineData(-0.25, "-0.25")]
    public void Cosine_with_alpha_0_or_below_is_refused_up_front_naming_alpha_and_the_value(double? alpha, string value)
    {
        var schedule = alpha is { } a ? new CosineSchedule(0.1, 10, a) : new CosineSchedule(0.1, 10);
        var e = Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.1, new LearningRateSchedulerSettings(schedule)));
        Assert.Equal(Name, e.Callback);
        Assert.Equal("schedule.alpha", e.Field);
        Assert.Equal(value, e.Value);
        Assert.StartsWith($"{Name}: schedule.alpha = {value}: cosine: must be above 0 and at most 1", e.Message);
    }

    [Fact]
    public void Piecewise_uses_values_i_while_epoch_is_at_most_boundary_i()
    {
        Assert.Equal(F32s(0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001),
            Rates(new PiecewiseSchedule([2, 5], [0.1, 0.01, 0.001]), 8));
        Assert.Equal(F32s(0.3, 0.3), Rates(new PiecewiseSchedule([], [0.3]), 2));
    }

    [Fact]
    public void Warmup_ramps_from_target_over_workers_to_target_as_horovod_does()
    {
        // target / workers * (1 + epoch * (workers - 1) / epochs), then the constant target.
        Assert.Equal(F32s(0.1, 0.16000000000000003, 0.22000000000000003, 0.27999999999999997, 0.34, 0.4, 0.4),
            Rates(new WarmupSchedule(5, Workers: 4, TargetLr: 0.4), 7));
    }

    [Fact]
    public void Warmup_defaults_to_the_runs_workers_and_initial_rate()
    {
        Assert.Equal(Rates(new WarmupSchedule(5, Workers: 4, TargetLr: 0.4), 7),
            Rates(new WarmupSchedule(5), 7, initialLr: 0.4, workers: 4));
        Assert.Equal(F32s(0.4, 0.4, 0.4), Rates(new WarmupSchedule(2), 3, initialLr: 0.4, workers: 1));
    }

    [Fact]
    public void Warmup_hands_over_to_then_with_the_target_as_the_current_rate()
    {
        var rates = Rates(new WarmupSchedule(2, Workers: 2, TargetLr: 0.2, Then: new ExponentialAfterSchedule(0, 0.5)), 5);
        Assert.Equal(F32(0.1), rates[0]);
        Assert.Equal(F32(0.15), rates[1]);
        Assert.Equal(F32(0.2 * Math.Exp(-0.5)), rates[2]);                    // then(2, target)
        Assert.Equal(F32(F32(0.2 * Math.Exp(-0.5)) * Math.Exp(-0.5)), rates[3]); // then(3, current rate)
        // A schedule of its own epoch: step-decay counts epochs from 0, so at epoch 2 it has dropped once.
        Assert.Equal(F32s(0.05, 0.075, 0.05, 0.05),
            Rates(new WarmupSchedule(2, Workers: 2, TargetLr: 0.1, Then: new StepDecaySchedule(0.1, 0.5, 2)), 4));
    }

    [Fact]
    public void A_change_is_a_decision_and_no_change_is_none()
    {
        var run = Runner.Run(new LearningRateSchedulerSettings(new MultiplyEverySchedule(2, 0.5)), Of("loss", 1, 1, 1), initialLr: 0.8);
        Assert.Equal([new LearningRateChanged(Name, 2, F32(0.8), F32(0.4), LearningRateChangeReason.Schedule)], run.Decisions);
    }

    [Fact]
    public void The_rate_goes_into_the_epoch_logs()
    {
        var run = Runner.Run(new LearningRateSchedulerSettings(new StepDecaySchedule(0.1, 0.5, 1)), Of("loss", 1, 1));
        Assert.Equal([F32(0.1), F32(0.05)], run.Epochs.Select(e => e.Ended!.Logs["learning_rate"]));
    }

    [Fact]
    public void The_schedule_gets_the_epoch_and_the_float32_rate()
    {
        var seen = new List<(int, double)>();
        Runner.Run(new LearningRateSchedulerSettings(new DelegateSchedule((e, lr) => { seen.Add((e, lr)); return lr * 3; })),
            Of("loss", 1, 1, 1), initialLr: 0.1);
        Assert.Equal([(0, F32(0.1)), (1, F32(F32(0.1) * 3)), (2, F32(F32(F32(0.1) * 3) * 3))], seen);
    }

    [Theory]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.0, "0.0")]
    [InlineData(1e-50, "1e-50")]   // a float32 zero
    [InlineData(1e39, "1e+39")]    // a float32 infinity
    public void A_rate_that_is_not_finite_and_positive_is_an_error_naming_the_epoch_and_the_value(double bad, string repr)
    {
        var engine = Runner.Engine(0.1, new LearningRateSchedulerSettings(new DelegateSchedule((e, lr) => e == 3 ? bad : lr, "bad-at-3")));
        for (var epoch = 0; epoch < 3; epoch++)
        {
            engine.BeginEpoch(epoch);
            engine.EndEpoch(Logs(("loss", 1.0)));
        }
        var e = Assert.Throws<CallbackException>(() => engine.BeginEpoch(3));
        Assert.Equal(Name, e.Callback);
        Assert.Contains("epoch 3", e.Message);
        Assert.Contains($"learning rate {repr} ", e.Message);
        Assert.Contains("'bad-at-3'", e.Message);
        Assert.Equal(F32(0.1), engine.LearningRate); // the optimizer keeps its rate
    }

    [Fact]
    public void The_smallest_float32_rate_is_accepted()
    {
        var tiny = (double)float.Epsilon;
        Assert.Equal([tiny], Rates(new DelegateSchedule((_, _) => tiny), 1));
    }

    public static TheoryData<ScheduleSpec, string> BadSchedules => new()
    {
        { new ConstantSchedule(0), "schedule.value" },
        { new ConstantSchedule(double.NaN), "schedule.value" },
        { new StepDecaySchedule(-0.1, 0.5, 2), "schedule.initial-lr" },
        { new StepDecaySchedule(0.1, 0, 2), "schedule.drop" },
        { new StepDecaySchedule(0.1, 0.5, 0), "schedule.epochs-per-drop" },
        { new ExponentialAfterSchedule(-1, 0.1), "schedule.hold-epochs" },
        { new ExponentialAfterSchedule(1, double.PositiveInfinity), "schedule.rate" },
        { new MultiplyEverySchedule(0, 0.5), "schedule.every" },
        { new MultiplyEverySchedule(2, -1), "schedule.factor" },
        { new InverseTimeSchedule(0, 0.1), "schedule.initial-lr" },
        { new InverseTimeSchedule(0.1, -0.1), "schedule.decay" },
        { new CosineSchedule(0.1, 0), "schedule.decay-epochs" },
        { new CosineSchedule(0.1, 5, 1.5), "schedule.alpha" },
        { new CosineSchedule(double.PositiveInfinity, 5), "schedule.initial-lr" },
        { new PiecewiseSchedule([1, 2], [0.1, 0.2]), "schedule.values" },
        { new PiecewiseSchedule([2, 2], [0.1, 0.2, 0.3]), "schedule.boundaries" },
        { new PiecewiseSchedule([2], [0.1, 0]), "schedule.values" },
        { new WarmupSchedule(0), "schedule.epochs" },
        { new WarmupSchedule(2, Workers: 0), "schedule.workers" },
        { new WarmupSchedule(2, TargetLr: -1), "schedule.target-lr" },
        { new WarmupSchedule(2, Then: new ConstantSchedule(-1)), "schedule.value" },
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public void Bad_schedule_parameters_are_configuration_errors(ScheduleSpec schedule, string field)
    {
        var e = Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.1, new LearningRateSchedulerSettings(schedule)));
        Assert.Equal(field, e.Field);
        Assert.Equal(Name, e.Callback);
    }
}
