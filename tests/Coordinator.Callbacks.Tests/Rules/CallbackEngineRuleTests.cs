using Coordinator.Callbacks.State;
using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Rules;

/// <summary>The engine: configured order (Keras's CallbackList), float32 rate, hooks and their guards.</summary>
public class CallbackEngineRuleTests
{
    private static List<EpochInput> Plateau() => Of("val_loss", 1.0, 1.0);

    [Fact]
    public void A_checkpoint_placed_after_reduce_lr_on_plateau_sees_learning_rate_in_its_logs()
    {
        var run = Runner.Run(
            [new ReduceLrOnPlateauSettings { Patience = 1, Factor = 0.5 }, new ModelCheckpointSettings("m-{epoch}-{learning_rate:.4f}")],
            Plateau(), initialLr: 0.1);
        // The logged rate is the one the epoch trained with (ReduceLROnPlateau logs before reducing).
        Assert.Equal(["m-1-0.1000", "m-2-0.1000"], run.All<CheckpointRequested>().Select(c => c.Path));
        Assert.Equal((double)(float)0.05, run.FinalLearningRate);
    }

    [Fact]
    public void A_checkpoint_placed_before_reduce_lr_on_plateau_does_not()
    {
        var engine = Runner.Engine(0.1,
            new ModelCheckpointSettings("m-{epoch}-{learning_rate:.4f}"), new ReduceLrOnPlateauSettings { Patience = 1 });
        engine.BeginEpoch(0);
        var e = Assert.Throws<CallbackException>(() => engine.EndEpoch(Logs(("val_loss", 1.0))));
        Assert.Contains("{learning_rate}", e.Message);
    }

    [Fact]
    public void A_checkpoint_monitoring_the_rate_sees_it_only_after_a_scheduler()
    {
        var settings = new ModelCheckpointSettings("m-{epoch}") { Monitor = "learning_rate", Mode = MonitorMode.Max, SaveBestOnly = true };
        var after = Runner.Run([new LearningRateSchedulerSettings(new Scheduling.ConstantSchedule(0.5)), settings], Plateau());
        Assert.Equal([0.5], after.All<CheckpointRequested>().Select(c => c.MonitorValue!.Value));
        var before = Runner.Run([settings, new LearningRateSchedulerSettings(new Scheduling.ConstantSchedule(0.5))], Plateau());
        Assert.All(before.All<CheckpointRequested>(), c => Assert.Null(c.MonitorValue));
        Assert.Equal(2, before.All<CallbackWarning>().Count());
    }

    [Fact]
    public void Decisions_come_in_configuration_order()
    {
        var run = Runner.Run(
            [new CsvLoggerSettings("log.csv"), new EarlyStoppingSettings { Patience = 0 }, new ModelCheckpointSettings("m-{epoch}")],
            Of("val_loss", 1.0, 2.0));
        Assert.Equal([typeof(LogLineWriteRequested), typeof(StopRequested), typeof(CheckpointRequested)],
            run.Epochs[1].Decisions.Select(d => d.GetType()));

        var reversed = Runner.Run(
            [new ModelCheckpointSettings("m-{epoch}"), new EarlyStoppingSettings { Patience = 0 }, new CsvLoggerSettings("log.csv")],
            Of("val_loss", 1.0, 2.0));
        Assert.Equal([typeof(CheckpointRequested), typeof(StopRequested), typeof(LogLineWriteRequested)],
            reversed.Epochs[1].Decisions.Select(d => d.GetType()));
    }

    [Fact]
    public void Callbacks_of_the_same_type_are_numbered_in_order()
    {
        var engine = Runner.Engine(0.1, new EarlyStoppingSettings(), new TerminateOnNaNSettings(), new EarlyStoppingSettings(), new EarlyStoppingSettings());
        Assert.Equal(["early-stopping", "terminate-on-nan", "early-stopping#2", "early-stopping#3"], engine.Callbacks.Select(c => c.Name));
    }

    [Fact]
    public void The_first_stop_reason_wins_but_every_stop_is_a_decision()
    {
        var run = Runner.Run([new TerminateOnNaNSettings(), new EarlyStoppingSettings { Patience = 0 }],
            [Epoch(("val_loss", 1.0)), Epoch(Logs(("val_loss", 2.0)), Logs(("loss", double.NaN)))]);
        Assert.Equal(["terminate-on-nan", "early-stopping"], run.All<StopRequested>().Select(s => s.Source));
        Assert.Equal(StopKind.NonFiniteLoss, run.Engine.StopReason!.Kind);
        Assert.Equal(StopKind.NonFiniteLoss, run.Epochs[1].Ended!.StopReason!.Kind);
    }

    [Fact]
    public void The_rate_is_held_as_float32()
    {
        var engine = new CallbackEngine([], new RunInfo(0.01));
        Assert.Equal((double)(float)0.01, engine.LearningRate);
        Assert.NotEqual(0.01, engine.LearningRate);
    }

    [Fact]
    public void The_epoch_logs_get_the_epochs_rate_when_no_callback_logged_one()
    {
        var engine = new CallbackEngine([new EarlyStoppingSettings()], new RunInfo(0.3));
        engine.BeginEpoch(0);
        var end = engine.EndEpoch(Logs(("val_loss", 1.0)));
        Assert.Equal(["val_loss", "learning_rate"], end.Logs.Keys);
        Assert.Equal((double)(float)0.3, end.Logs["learning_rate"]);
    }

    [Fact]
    public void The_callers_logs_are_not_changed()
    {
        var engine = Runner.Engine(0.1, new ReduceLrOnPlateauSettings());
        var logs = Logs(("val_loss", 1.0));
        engine.BeginEpoch(0);
        engine.EndEpoch(logs);
        Assert.Equal(["val_loss"], logs.Keys);
    }

    [Fact]
    public void Begin_epoch_begins_training_when_the_host_did_not()
    {
        var engine = Runner.Engine(0.1, new EarlyStoppingSettings { Patience = 0 });
        var started = engine.BeginEpoch(0);
        Assert.Equal(0, started.Epoch);
        Assert.Equal(0, engine.CurrentEpoch);
        Assert.False(engine.EndEpoch(Logs(("val_loss", 1.0))).StopTraining);
    }

    [Fact]
    public void Batch_and_epoch_ends_need_an_epoch()
    {
        var engine = Runner.Engine(0.1, new TerminateOnNaNSettings());
        Assert.Throws<InvalidOperationException>(() => engine.EndBatch(0, Logs(("loss", 1.0))));
        Assert.Throws<InvalidOperationException>(() => engine.EndEpoch(Logs(("loss", 1.0))));
        Assert.Null(engine.CurrentEpoch);
    }

    [Fact]
    public void A_state_of_another_configuration_is_refused()
    {
        var engine = Runner.Engine(0.1, new EarlyStoppingSettings(), new TerminateOnNaNSettings());
        var state = engine.SaveState();
        Assert.Throws<ArgumentException>(() => Runner.Engine(0.1, new EarlyStoppingSettings()).RestoreState(state));
        var swapped = Runner.Engine(0.1, new TerminateOnNaNSettings(), new EarlyStoppingSettings());
        var e = Assert.Throws<ArgumentException>(() => swapped.RestoreState(state));
        Assert.Contains("terminate-on-nan", e.Message);
    }

    [Fact]
    public void Configuration_errors_name_the_callback_field_and_value()
    {
        var e = Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.1,
            new EarlyStoppingSettings(), new ReduceLrOnPlateauSettings(), new ReduceLrOnPlateauSettings { Factor = 2 }));
        Assert.Equal(("reduce-lr-on-plateau#2", "factor", "2"), (e.Callback, e.Field, e.Value));
        Assert.StartsWith("reduce-lr-on-plateau#2: factor = 2: ", e.Message);
    }

    [Fact]
    public void Csv_logger_settings_are_checked()
    {
        Assert.Equal("filename", Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.1, new CsvLoggerSettings(" "))).Field);
        Assert.Equal("separator", Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.1, new CsvLoggerSettings("l.csv") { Separator = ";;" })).Field);
        Assert.Equal("separator", Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.1, new CsvLoggerSettings("l.csv") { Separator = "" })).Field);
    }

    [Fact]
    public void Restored_state_round_trips_through_json_unchanged()
    {
        var run = Runner.Run(
            [new EarlyStoppingSettings { Patience = 3, RestoreBestWeights = true }, new ReduceLrOnPlateauSettings { Patience = 1 },
             new ModelCheckpointSettings("m-{epoch}"), new CsvLoggerSettings("l.csv"), new TerminateOnNaNSettings()],
            Of("val_loss", 3, 2, double.NaN, 4));
        var state = run.Engine.SaveState();
        var json = CallbackJsonContext.Serialize(state);
        var back = CallbackJsonContext.Deserialize(json);
        Assert.Equal(json, CallbackJsonContext.Serialize(back));
        Assert.Contains("\"type\":\"early-stopping\"", json);
        Assert.Contains("\"value\":\"NaN\"", json); // the checkpoint kept for epoch 3's NaN

        // Keras 3.16's starting best is None: null in JSON (a NaN best is a named literal, as above).
        var fresh = CallbackJsonContext.Serialize(Runner.Engine(0.1, new EarlyStoppingSettings(), new ModelCheckpointSettings("m") { Monitor = "acc" }).SaveState());
        Assert.Equal(2, fresh.Split("\"best\":null").Length - 1);
    }
}
