using Coordinator.Callbacks.Scheduling;
using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Keras;

/// <summary>
/// Ports of keras/src/callbacks/learning_rate_scheduler_test.py (Keras 3, LearningRateSchedulerTest).
/// Keras's lambdas become <see cref="DelegateSchedule"/>s (Keras's one-argument lambda is the
/// same schedule ignoring the rate). The model is compiled with "sgd" (rate 0.01) unless the test
/// says otherwise.
/// </summary>
public class KerasLearningRateSchedulerTests
{
    private static LearningRateSchedulerSettings Scheduler(Func<int, double, double> f, int verbose = 0) =>
        new(new DelegateSchedule((epoch, lr) => f(epoch, lr))) { Verbose = verbose };

    private static List<EpochInput> Fit(int epochs) => Of("loss", Enumerable.Repeat(0.5, epochs).ToArray());

    // Keras: test_updates_learning_rate — schedule 1 / (2 + step), one epoch: rate 0.5.
    [Fact]
    public void test_updates_learning_rate()
    {
        var run = Runner.Run(Scheduler((step, _) => 1.0 / (2.0 + step), verbose: 1), Fit(1), initialLr: 0.01);
        Assert.Equal(0.5, run.FinalLearningRate);
    }

    // Keras: test_verbose_logging — schedule 1 / (1 + step): the log says "LearningRateScheduler
    // setting learning rate to 1.0". The engine reports that as a LearningRateChanged decision.
    [Fact]
    public void test_verbose_logging()
    {
        var run = Runner.Run(Scheduler((step, _) => 1.0 / (1.0 + step), verbose: 1), Fit(1), initialLr: 0.01);
        var change = Assert.Single(run.All<LearningRateChanged>());
        Assert.Equal(new LearningRateChanged("learning-rate-scheduler", 0, (float)0.01, 1.0, LearningRateChangeReason.Schedule), change);
    }

    // Keras: test_schedule_dependent_on_previous_learning_rate — schedule lr / 2 with Adam(0.03),
    // two epochs: the rate ends at 0.03 / 4.
    [Fact]
    public void test_schedule_dependent_on_previous_learning_rate()
    {
        const double initialLr = 0.03;
        var run = Runner.Run(Scheduler((_, lr) => lr / 2), Fit(2), initialLr);
        Assert.Equal((double)((float)initialLr / 4f), run.FinalLearningRate);
        Assert.Equal(initialLr / 4.0, run.FinalLearningRate, 1e-9);
    }

    // Keras: test_throws_when_optimizer_has_schedule — not applicable: no optimizer-owned
    // LearningRateSchedule exists here; the scheduler always sets a plain rate.

    // Keras: test_learning_rate_in_history — schedule returning 0.5: history["learning_rate"][0] is
    // the float 0.5.
    [Fact]
    public void test_learning_rate_in_history()
    {
        var run = Runner.Run(Scheduler((_, _) => 0.5), Fit(1), initialLr: 0.01);
        var logs = run.Epochs[0].Ended!.Logs;
        Assert.True(logs.ContainsKey("learning_rate"));
        Assert.Equal(0.5, logs["learning_rate"]);
    }

    // Keras: the LearningRateScheduler docstring example (a doctest in learning_rate_scheduler.py):
    // lr kept for ten epochs then lr * exp(-0.1); SGD (0.01), 15 epochs: round(lr, 5) == 0.00607.
    // Our configurable form of that schedule is exponential-after { hold-epochs = 10, rate = 0.1 }.
    [Fact]
    public void docstring_example_exponential_after_ten_epochs()
    {
        var run = Runner.Run(new LearningRateSchedulerSettings(new ExponentialAfterSchedule(10, 0.1)), Fit(15), initialLr: 0.01);
        Assert.Equal(0.00607, Math.Round(run.FinalLearningRate, 5));
    }
}
