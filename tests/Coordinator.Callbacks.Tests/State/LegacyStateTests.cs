using Coordinator.Callbacks.State;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.State;

/// <summary>
/// States written before the engine followed Keras 3.16 hold a ±Infinity <c>best</c> where
/// nothing had been seen yet (the older Keras start). They restore as that number, so a resumed
/// run goes on deciding exactly as the version that wrote them would have; only new runs start
/// from None.
/// </summary>
public class LegacyStateTests
{
    // As the previous version wrote it after epoch 0 of a run whose first val_loss was NaN: under
    // the ±inf start a NaN was no improvement, so every best is still +Infinity and the waits are 1.
    private const string WrittenByThePreviousVersion =
        """
        {"learningRate":0.10000000149011612,"stopTraining":false,"stopReason":null,"lastEpoch":0,"callbacks":[
        {"type":"reduce-lr-on-plateau","wait":1,"cooldownCounter":0,"best":"Infinity"},
        {"type":"early-stopping","wait":1,"stoppedEpoch":0,"best":"Infinity","bestEpoch":0,"hasBestWeights":true},
        {"type":"model-checkpoint","best":"Infinity","currentEpoch":0,"batchesSinceLastSave":0,"lastBatchSeen":0,"kept":[]}]}
        """;

    private static readonly CallbackSettings[] Settings =
    [
        new ReduceLrOnPlateauSettings { Patience = 2, Factor = 0.5 },
        new EarlyStoppingSettings { Patience = 2, RestoreBestWeights = true },
        new ModelCheckpointSettings("m-{epoch}") { SaveBestOnly = true },
    ];

    [Fact]
    public void A_state_with_an_infinite_start_goes_on_with_the_rule_it_was_written_under()
    {
        var engine = new CallbackEngine(Settings, new RunInfo(0.1));
        engine.RestoreState(CallbackJsonContext.Deserialize(WrittenByThePreviousVersion));
        var es = (EarlyStopping)engine.Callbacks[1];
        Assert.Equal(double.PositiveInfinity, es.Best);

        // Epoch 1: 1.0 improves on +inf (the old start): saved, the new best, waits back to 0.
        engine.BeginEpoch(1);
        var e1 = engine.EndEpoch(Logs(("val_loss", 1.0)));
        Assert.Equal(["m-2"], e1.Decisions.OfType<CheckpointRequested>().Select(c => c.Path));
        Assert.Equal(((double?)1.0, 1, 0), (es.Best, es.BestEpoch, es.Wait));
        Assert.Equal(1.0, ((ReduceLrOnPlateau)engine.Callbacks[0]).Best);
        Assert.Equal(0, ((ReduceLrOnPlateau)engine.Callbacks[0]).Wait);

        // Epochs 2, 3 do not improve: the plateau cut and the stop come two epochs after the best.
        engine.BeginEpoch(2);
        Assert.False(engine.EndEpoch(Logs(("val_loss", 1.5))).StopTraining);
        engine.BeginEpoch(3);
        var e3 = engine.EndEpoch(Logs(("val_loss", 1.5)));
        Assert.True(e3.StopTraining);
        Assert.Equal("val_loss did not improve for 2 epochs (best 1.0 at epoch 2)", e3.StopReason!.Message);
        Assert.Single(e3.Decisions.OfType<LearningRateChanged>());
        Assert.Equal(1, engine.EndTrain().RestoredWeightsEpoch);
    }

    [Fact]
    public void The_same_run_started_today_keeps_the_first_nan_as_its_best()
    {
        // For contrast: Keras 3.16 takes epoch 0's NaN as the best; 1.0 does not improve on it.
        var engine = new CallbackEngine(Settings, new RunInfo(0.1));
        engine.TrainBegin();
        engine.BeginEpoch(0);
        Assert.Equal(["m-1"], engine.EndEpoch(Logs(("val_loss", double.NaN))).Decisions.OfType<CheckpointRequested>().Select(c => c.Path));
        engine.BeginEpoch(1);
        var e1 = engine.EndEpoch(Logs(("val_loss", 1.0)));
        Assert.Empty(e1.Decisions.OfType<CheckpointRequested>());
        Assert.True(double.IsNaN(((EarlyStopping)engine.Callbacks[1]).Best!.Value));

        // Saved now, the state says "best": NaN, and a new engine restores it as NaN.
        var json = CallbackJsonContext.Serialize(engine.SaveState());
        Assert.Contains("\"best\":\"NaN\"", json);
        var next = new CallbackEngine(Settings, new RunInfo(0.1));
        next.RestoreState(CallbackJsonContext.Deserialize(json));
        Assert.True(double.IsNaN(((EarlyStopping)next.Callbacks[1]).Best!.Value));
    }

    [Fact]
    public void A_state_saved_before_any_value_holds_null_and_restores_as_none()
    {
        var engine = new CallbackEngine(Settings, new RunInfo(0.1));
        engine.TrainBegin();
        var json = CallbackJsonContext.Serialize(engine.SaveState());
        Assert.Equal(3, json.Split("\"best\":null").Length - 1);
        var next = new CallbackEngine(Settings, new RunInfo(0.1));
        next.RestoreState(CallbackJsonContext.Deserialize(json));
        next.BeginEpoch(0);
        Assert.Equal(["m-1"], next.EndEpoch(Logs(("val_loss", double.NaN))).Decisions.OfType<CheckpointRequested>().Select(c => c.Path));
    }
}
