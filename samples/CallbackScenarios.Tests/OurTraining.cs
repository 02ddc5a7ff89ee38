namespace CallbackScenarios.Tests;

/// <summary>
/// Our training setup as scenarios: our callbacks (from the same file the run configuration uses) on 4 workers,
/// with metrics shaped like the runs we expect. The tests below ask what these settings do.
/// </summary>
public static class OurTraining
{
    public static string Callbacks => Path.Combine(AppContext.BaseDirectory, "callbacks.conf");

    /// <summary>The history.csv of an earlier run (epoch, loss, accuracy, val_loss, val_accuracy).</summary>
    public static string EarlierRun => Path.Combine(AppContext.BaseDirectory, "history", "earlier-run.csv");

    /// <summary>val_loss falls by 0.05 an epoch to 0.30 at epoch 14, then only wobbles, by less than min-delta (0.01).</summary>
    public static MetricScript NoisyPlateau { get; } = MetricScript.Of(40, epoch =>
    {
        var noise = new Random(epoch).NextDouble() * 0.008; // the same noise on every run
        var valLoss = Math.Max(0.30, 1.0 - 0.05 * epoch) + noise;
        return new EpochMetrics(Loss: valLoss - 0.05, Accuracy: 0.9, ValLoss: valLoss, ValAccuracy: 0.85);
    });

    /// <summary>The plateau schedule alone, on the noisy plateau.</summary>
    public static Scenario PlateauOnly => Scenario.WithCallbacks("""
        callbacks = [
          { type = reduce-lr-on-plateau, monitor = val_loss, factor = 0.2, patience = 3, min-delta = 0.01, min-lr = 0.0001 }
        ]
        """).Metrics(NoisyPlateau).Workers(4).InitialLearningRate(0.01);

    /// <summary>All our callbacks replaying the earlier run's history on 4 workers.</summary>
    public static Scenario OnEarlierRun => Scenario.WithCallbacksFromFile(Callbacks).Metrics(EarlierRun).Workers(4).InitialLearningRate(0.01);

    /// <summary>The same, allowed to lose one worker (min-workers 3) and to restart one epoch for it (max-restarts 1).</summary>
    public static Scenario Elastic => OnEarlierRun.MinWorkers(3).MaxRestarts(1);

    /// <summary>Every scenario of this suite, for checking that each decides the same on every run.</summary>
    public static IEnumerable<(string Name, Scenario Scenario)> All =>
    [
        ("plateau", PlateauOnly),
        ("earlier run", OnEarlierRun),
        ("a worker lost at epoch 5", Elastic.LoseWorker(2, atEpoch: 5)),
        ("two workers lost", Elastic.MinWorkers(2).LoseWorker(2, atEpoch: 5).LoseWorker(3, atEpoch: 8)),
        ("supervisor restarted after epoch 10", OnEarlierRun.RestartSupervisor(afterEpoch: 10)),
    ];
}
