using Coordinator.Callbacks.Scheduling;
using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.State;

/// <summary>
/// Saving the engine's state after any epoch, taking it through JSON into a new engine built from
/// the same settings, and going on gives exactly the uninterrupted run: every decision of every
/// epoch, the rates, the stop and the train end. Each scenario first checks that it really
/// triggers what it is about (reductions, cooldowns, stops, deletions...).
/// </summary>
public class StateRoundTripTests
{
    /// <summary>Runs once straight, then once resumed after each single epoch, then resumed after every epoch.</summary>
    private static RunResult AssertResumesIdentically(IReadOnlyList<CallbackSettings> settings, IReadOnlyList<EpochInput> epochs, double initialLr = 0.01, int workers = 1)
    {
        var straight = Runner.Run(settings, epochs, initialLr, workers);
        var expected = Describe.Trace(straight);
        for (var k = 0; k < straight.EpochsRun; k++)
        {
            var at = k;
            var resumed = Runner.RunResumed(settings, epochs, e => e == at, initialLr, workers);
            Assert.Equal(expected, Describe.Trace(resumed));
            Assert.Equal(straight.Decisions, resumed.Decisions);
            Assert.Equal(straight.FinalLearningRate, resumed.FinalLearningRate);
            Assert.Equal(straight.Engine.StopReason, resumed.Engine.StopReason);
        }
        var everyEpoch = Runner.RunResumed(settings, epochs, _ => true, initialLr, workers);
        Assert.Equal(expected, Describe.Trace(everyEpoch));
        Assert.Equal(straight.Decisions, everyEpoch.Decisions);
        return straight;
    }

    [Fact]
    public void Early_stopping_with_baseline_start_from_epoch_and_restore()
    {
        var run = AssertResumesIdentically(
            [new EarlyStoppingSettings { Monitor = "val_loss", Patience = 3, Baseline = 0.5, StartFromEpoch = 1, RestoreBestWeights = true, MinDelta = 0.01 }],
            Of("val_loss", 0.2, 0.9, 0.7, 0.6, 0.45, 0.449, 0.5, 0.46, 0.3, 0.4));
        Assert.Equal(7, run.StoppedAfterEpoch);
        Assert.Equal(4, run.TrainEnded!.RestoredWeightsEpoch);
    }

    [Fact]
    public void A_first_nan_taken_as_the_best_survives_every_resume()
    {
        var run = AssertResumesIdentically(
            [new EarlyStoppingSettings { Monitor = "val_loss", Patience = 2, RestoreBestWeights = true },
             new ReduceLrOnPlateauSettings { Patience = 1 },
             new ModelCheckpointSettings("m-{epoch}") { SaveBestOnly = true }],
            Of("val_loss", double.NaN, 1.0, 0.5, 0.25));
        Assert.Equal(2, run.StoppedAfterEpoch); // nothing improves on epoch 0's NaN
        Assert.Equal(0, run.TrainEnded!.RestoredWeightsEpoch);
        Assert.Equal(["m-1"], run.All<CheckpointRequested>().Select(c => c.Path));
        Assert.Equal([1, 2], run.All<LearningRateChanged>().Select(c => c.Epoch));
    }

    [Fact]
    public void Early_stopping_that_never_stops_still_restores_after_a_resume()
    {
        var run = AssertResumesIdentically(
            [new EarlyStoppingSettings { Monitor = "val_accuracy", Patience = 10, RestoreBestWeights = true }],
            Of("val_accuracy", 0.5, 0.7, 0.6, 0.65, 0.69));
        Assert.Null(run.StoppedAfterEpoch);
        Assert.Equal(1, run.TrainEnded!.RestoredWeightsEpoch);
    }

    [Fact]
    public void Early_stopping_lightning_extras()
    {
        var run = AssertResumesIdentically(
            [new EarlyStoppingSettings { Monitor = "loss", Patience = 4, CheckFinite = true, DivergenceThreshold = 10 }],
            Of("loss", 3, 2, 2.5, 2.2, double.NaN, 1));
        Assert.Equal(StopKind.NonFiniteMonitor, run.Engine.StopReason!.Kind);
    }

    [Fact]
    public void Reduce_lr_on_plateau_with_cooldowns_min_lr_and_missing_metric_epochs()
    {
        var epochs = Of("val_loss", 1.0, 0.9, 0.9, 0.95, 0.92, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85);
        epochs.Insert(4, Epoch(("loss", 0.5))); // an epoch without val_loss: a warning, nothing else
        var run = AssertResumesIdentically(
            [new ReduceLrOnPlateauSettings { Patience = 1, Cooldown = 2, Factor = 0.5, MinLr = 0.02, MinDelta = 0.001 }],
            epochs, initialLr: 0.1);
        var changes = run.All<LearningRateChanged>().ToList();
        Assert.True(changes.Count >= 3, $"{changes.Count} reductions");
        Assert.Equal((double)(float)0.02, run.FinalLearningRate); // clamped at min_lr
        Assert.Single(run.All<CallbackWarning>());
    }

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Learning_rate_schedules(ScheduleSpec schedule)
    {
        var run = AssertResumesIdentically([new LearningRateSchedulerSettings(schedule)], Of("loss", Enumerable.Repeat(1.0, 9).ToArray()),
            initialLr: 0.2, workers: 4);
        Assert.NotEmpty(run.All<LearningRateChanged>());
    }

    public static TheoryData<ScheduleSpec> Schedules => new()
    {
        new ConstantSchedule(0.05),
        new StepDecaySchedule(0.1, 0.5, 2),
        new ExponentialAfterSchedule(2, 0.3),
        new MultiplyEverySchedule(3, 0.1),
        new InverseTimeSchedule(0.1, 1),
        new CosineSchedule(0.1, 6, 0.05),
        new PiecewiseSchedule([1, 4], [0.3, 0.03, 0.003]),
        new WarmupSchedule(3),
        new WarmupSchedule(3, Then: new ExponentialAfterSchedule(0, 0.2)),
    };

    [Fact]
    public void Model_checkpoint_save_freq_across_epochs_with_top_k_and_save_last()
    {
        // 3 batches per epoch, a save every 4 batches: the count crosses the epoch boundaries.
        var epochs = Enumerable.Range(0, 8).Select(e => Epoch(Logs(("loss", 1.0 / (e + 1))),
            Enumerable.Range(0, 3).Select(b => Logs(("loss", (e * 3 + b) % 5 + 0.5))).ToArray())).ToList();
        var run = AssertResumesIdentically(
            [new ModelCheckpointSettings("ckpt/m-{epoch:02d}-{batch:02d}-{loss:.2f}.keras") { Monitor = "loss", SaveFreqBatches = 4, SaveTopK = 2, SaveLast = true }],
            epochs);
        Assert.Equal(6, run.All<CheckpointRequested>().Count(c => c.Kind == CheckpointKind.Last));
        Assert.NotEmpty(run.All<CheckpointDeletionRequested>());
    }

    [Fact]
    public void Model_checkpoint_best_only_with_initial_threshold_and_top_k()
    {
        var run = AssertResumesIdentically(
            [new ModelCheckpointSettings("m-{epoch}-{val_accuracy:.3f}") { Monitor = "val_accuracy", SaveBestOnly = true, InitialValueThreshold = 0.55, SaveTopK = 2 }],
            Of("val_accuracy", 0.5, 0.6, 0.58, 0.7, 0.65, 0.72, 0.9, 0.1));
        Assert.Equal(["m-2-0.600", "m-4-0.700"], run.All<CheckpointDeletionRequested>().Select(d => d.Path));
    }

    [Fact]
    public void Terminate_on_nan_stops_in_a_later_epoch()
    {
        var run = AssertResumesIdentically([new TerminateOnNaNSettings()], WithBatches(3, 1, 0.5, 0.4, double.PositiveInfinity, 0.3));
        Assert.Equal(3, run.StoppedAfterEpoch);
        Assert.Single(run.Epochs[3].Batches);
    }

    [Fact]
    public void Terminate_on_nan_raising_aborts_in_a_later_epoch()
    {
        var run = AssertResumesIdentically([new TerminateOnNaNSettings { RaiseError = true }], WithBatches(2, 1, 0.5, double.NaN, 0.3));
        Assert.True(run.Aborted);
        Assert.Null(run.TrainEnded);
    }

    [Fact]
    public void Csv_logger_writes_its_header_once_and_keeps_its_columns()
    {
        var epochs = new List<EpochInput>
        {
            Epoch(("loss", 1.0), ("mse", 1.0)),
            Epoch(("loss", 0.5), ("mse", 0.4), ("val_loss", 0.6), ("val_mse", 0.5)),
            Epoch(("loss", 0.25)),
            Epoch(("loss", 0.125), ("mse", double.NaN), ("extra", 3.0)),
        };
        var run = AssertResumesIdentically([new CsvLoggerSettings("log.csv") { Separator = ";" }], epochs);
        Assert.Equal([true, false, false, false], run.All<LogLineWriteRequested>().Select(w => w.Truncate));
        var files = new LogFiles();
        files.Apply(run);
        Assert.Equal(["epoch;loss;mse;val_loss;val_mse", "0;1.0;1.0;NA;NA", "1;0.5;0.4;0.6;0.5", "2;0.25;NA;NA;NA", "3;0.125;nan;NA;NA"],
            files.Lines("log.csv"));
    }

    [Fact]
    public void Everything_together()
    {
        var epochs = new List<EpochInput>();
        double[] val = [1.0, 0.8, 0.8, 0.81, 0.79, 0.79, 0.8, 0.6, 0.61, 0.62, 0.63, 0.64, 0.65, 0.66];
        for (var e = 0; e < val.Length; e++)
            epochs.Add(Epoch(Logs(("loss", val[e] - 0.1), ("accuracy", 1 - val[e]), ("val_loss", val[e]), ("val_accuracy", 0.9 - val[e] / 2)),
                Enumerable.Range(0, 4).Select(b => Logs(("loss", val[e] + b * 0.01))).ToArray()));

        CallbackSettings[] settings =
        [
            new LearningRateSchedulerSettings(new WarmupSchedule(2, Workers: 2, TargetLr: 0.1, Then: new MultiplyEverySchedule(5, 0.9))),
            new TerminateOnNaNSettings(),
            new ReduceLrOnPlateauSettings { Patience = 1, Cooldown = 1, Factor = 0.5, MinLr = 1e-4 },
            new ModelCheckpointSettings("ckpt/e{epoch:02d}-{val_loss:.3f}-lr{learning_rate:.2e}.keras") { SaveTopK = 3, SaveLast = true, SaveWeightsOnly = true },
            new ModelCheckpointSettings("ckpt/b{epoch:02d}-{batch}.keras") { Monitor = "loss", SaveFreqBatches = 6, SaveBestOnly = true },
            new EarlyStoppingSettings { Monitor = "val_accuracy", Patience = 4, RestoreBestWeights = true, StartFromEpoch = 1 },
            new CsvLoggerSettings("history.csv"),
        ];
        var run = AssertResumesIdentically(settings, epochs, initialLr: 0.1);

        Assert.NotNull(run.StoppedAfterEpoch);
        Assert.Contains(run.All<LearningRateChanged>(), c => c.Reason == LearningRateChangeReason.Plateau);
        Assert.Contains(run.All<LearningRateChanged>(), c => c.Reason == LearningRateChangeReason.Schedule);
        Assert.NotEmpty(run.All<CheckpointDeletionRequested>());
        Assert.Contains(run.All<CheckpointRequested>(), c => c.Batch is not null);
        Assert.NotNull(run.TrainEnded!.RestoredWeightsEpoch);
        Assert.Equal(run.EpochsRun, run.All<LogLineWriteRequested>().Count());
    }

    [Fact]
    public void Everything_together_with_a_nan_stop_mid_epoch()
    {
        var epochs = WithBatches(4, 1.0, 0.9, 0.9, 0.95, 0.7, double.NaN, 0.5);
        CallbackSettings[] settings =
        [
            new ReduceLrOnPlateauSettings { Patience = 1, Factor = 0.1 },
            new ModelCheckpointSettings("m-{epoch}-{batch}") { Monitor = "loss", SaveFreqBatches = 3, SaveTopK = 1 },
            new TerminateOnNaNSettings(),
            new EarlyStoppingSettings { Patience = 10, RestoreBestWeights = true, CheckFinite = true },
            new CsvLoggerSettings("h.csv") { Append = true },
        ];
        var run = AssertResumesIdentically(settings, epochs, initialLr: 0.5);
        Assert.Equal(5, run.StoppedAfterEpoch);
        Assert.Equal(["terminate-on-nan", "early-stopping"], run.All<StopRequested>().Select(s => s.Source));
        Assert.Equal(4, run.TrainEnded!.RestoredWeightsEpoch);
    }
}
