using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Rules;

/// <summary>The rules in <see cref="TerminateOnNaN"/>'s documentation.</summary>
public class TerminateOnNaNRuleTests
{
    private const string Name = "terminate-on-nan";

    [Theory]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void A_non_finite_batch_loss_stops_training_after_that_batch(double loss, string repr)
    {
        var engine = Runner.Engine(0.01, new TerminateOnNaNSettings());
        engine.BeginEpoch(2);
        Assert.False(engine.EndBatch(0, Logs(("loss", 1.0))).StopTraining);
        var batch = engine.EndBatch(1, Logs(("loss", loss), ("accuracy", 0.5)));

        Assert.True(batch.StopTraining);
        Assert.False(batch.Aborted);
        var reason = new StopReason(StopKind.NonFiniteLoss, Name, $"Batch 1 of epoch 3: invalid loss {repr}, terminating training");
        Assert.Equal([new StopRequested(Name, 2, 1, reason)], batch.Decisions);
        Assert.Equal(reason, engine.StopReason);
    }

    [Theory]
    [InlineData(1e308)]
    [InlineData(-1e308)]
    [InlineData(0.0)]
    [InlineData(double.Epsilon)]
    public void A_finite_loss_changes_nothing(double loss)
    {
        var engine = Runner.Engine(0.01, new TerminateOnNaNSettings { RaiseError = true });
        engine.BeginEpoch(0);
        var batch = engine.EndBatch(0, Logs(("loss", loss)));
        Assert.False(batch.StopTraining);
        Assert.Empty(batch.Decisions);
    }

    [Fact]
    public void Only_the_batch_loss_is_watched()
    {
        var run = Runner.Run(new TerminateOnNaNSettings(),
            [Epoch(Logs(("loss", double.NaN), ("val_loss", double.NaN)), Logs(("accuracy", double.NaN)), Logs(("val_loss", double.NaN)))]);
        Assert.False(run.Engine.StopTraining);
        Assert.Empty(run.Decisions);
    }

    [Fact]
    public void After_a_graceful_stop_the_epoch_end_and_train_end_still_run_for_every_callback()
    {
        var run = Runner.Run(
            [new TerminateOnNaNSettings(), new EarlyStoppingSettings { Monitor = "val_loss", Patience = 5, RestoreBestWeights = true },
             new ModelCheckpointSettings("m-{epoch}")],
            [Epoch(("loss", 1.0), ("val_loss", 1.0)), Epoch(Logs(("loss", double.NaN), ("val_loss", 2.0)), Logs(("loss", double.NaN)), Logs(("loss", 1.0)))]);
        Assert.Equal(2, run.EpochsRun);
        Assert.Single(run.Epochs[1].Batches); // the loop leaves the epoch after the bad batch
        Assert.Contains(run.Epochs[1].Ended!.Decisions, d => d is CheckpointRequested { Path: "m-2" });
        Assert.Equal(0, run.TrainEnded!.RestoredWeightsEpoch);
    }

    [Fact]
    public void Raise_error_aborts_at_once_later_callbacks_do_not_see_the_batch()
    {
        var engine = Runner.Engine(0.01,
            new ModelCheckpointSettings("before-{epoch}-{batch}") { SaveFreqBatches = 1 },
            new TerminateOnNaNSettings { RaiseError = true },
            new ModelCheckpointSettings("after-{epoch}-{batch}") { SaveFreqBatches = 1 });
        engine.BeginEpoch(0);
        var batch = engine.EndBatch(0, Logs(("loss", double.NaN)));

        Assert.True(batch.Aborted);
        Assert.True(batch.StopTraining);
        Assert.True(engine.Aborted);
        Assert.Equal(["before-1-1"], batch.Decisions.OfType<CheckpointRequested>().Select(c => c.Path));
        Assert.Single(batch.Decisions.OfType<StopRequested>());
        Assert.Empty(engine.EndBatch(1, Logs(("loss", 1.0))).Decisions);
        Assert.Empty(engine.EndEpoch(Logs(("loss", double.NaN))).Decisions);
        Assert.Empty(engine.EndTrain().Decisions);
    }

    [Fact]
    public void Is_stateless_and_has_no_configuration_errors()
    {
        var cb = Runner.Engine(0.01, new TerminateOnNaNSettings()).Callbacks[0];
        Assert.Same(Callbacks.State.StatelessCallbackState.Instance, cb.SaveState());
        Assert.False(new TerminateOnNaNSettings().RaiseError);
    }
}
