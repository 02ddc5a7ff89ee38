using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Keras;

/// <summary>
/// Ports of keras/src/callbacks/terminate_on_nan_test.py (Keras 3, TerminateOnNaNTest). The Keras
/// tests make the loss blow up (weights initialised to 1e5, or targets of inf); what reaches the
/// callback is a batch whose loss is inf or NaN. Keras's RuntimeError (raise_error=True) is our
/// abort: <see cref="CallbackEngine.Aborted"/>, no epoch end, no train end.
/// </summary>
public class KerasTerminateOnNaNTests
{
    // Keras: test_TerminateOnNaN — 20 epochs of 3 batches (10 samples, batch 4); the loss is not finite
    // from the first batch on: history holds one epoch and its loss is NaN or inf.
    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void test_TerminateOnNaN(double badLoss)
    {
        var run = Runner.Run(new TerminateOnNaNSettings(), WithBatches(3, Enumerable.Repeat(badLoss, 20).ToArray()));
        Assert.Equal(1, run.EpochsRun);
        var loss = run.Epochs[0].Ended!.Logs["loss"];
        Assert.True(double.IsNaN(loss) || double.IsInfinity(loss));
        Assert.Single(run.Epochs[0].Batches); // the epoch's loop is left after the first batch
        Assert.Equal(StopKind.NonFiniteLoss, run.Engine.StopReason!.Kind);
    }

    // Keras: test_terminate_on_nan_graceful_stop — raise_error=False, 2 epochs of 2 batches with inf
    // targets: no error, and fewer than 4 batches' worth of history.
    [Fact]
    public void test_terminate_on_nan_graceful_stop()
    {
        var run = Runner.Run(new TerminateOnNaNSettings { RaiseError = false }, WithBatches(2, double.PositiveInfinity, double.PositiveInfinity));
        Assert.False(run.Aborted);
        Assert.True(run.EpochsRun < 4);
        Assert.Equal(1, run.EpochsRun);
        Assert.NotNull(run.TrainEnded); // on_train_end runs: a graceful stop
    }

    // Keras: test_terminate_on_nan_raise_error_raises_error — raise_error=True: fit raises
    // RuntimeError("NaN or Inf loss encountered ...").
    [Fact]
    public void test_terminate_on_nan_raise_error_raises_error()
    {
        var run = Runner.Run(new TerminateOnNaNSettings { RaiseError = true }, WithBatches(2, double.PositiveInfinity));
        Assert.True(run.Aborted);
        Assert.Null(run.Epochs[0].Ended);
        var stop = Assert.Single(run.All<StopRequested>());
        Assert.Equal(StopKind.NonFiniteLoss, stop.Reason.Kind);
        Assert.Contains("invalid loss inf", stop.Reason.Message);
    }

    // Keras: test_raise_error_terminate_does_not_trigger_on_train_end — a tracking callback placed
    // before TerminateOnNaN(raise_error=True) never sees on_train_end. Our tracking callback is an
    // EarlyStopping with restore_best_weights, whose on_train_end would put weights back.
    [Fact]
    public void test_raise_error_terminate_does_not_trigger_on_train_end()
    {
        var engine = Runner.Engine(0.01,
            new EarlyStoppingSettings { Monitor = "loss", RestoreBestWeights = true, Patience = 5 },
            new TerminateOnNaNSettings { RaiseError = true });
        engine.TrainBegin();
        engine.BeginEpoch(0);
        engine.EndEpoch(Logs(("loss", 1.0)));
        engine.BeginEpoch(1);
        var batch = engine.EndBatch(0, Logs(("loss", double.PositiveInfinity)));
        Assert.True(batch.Aborted);

        // A host that still calls the hooks gets nothing from them.
        Assert.Empty(engine.EndEpoch(Logs(("loss", 1.0))).Decisions);
        var end = engine.EndTrain();
        Assert.Empty(end.Decisions);
        Assert.Null(end.RestoredWeightsEpoch);
    }

    // Keras: test_raise_error_terminate_preserves_backup — not applicable as such: BackupAndRestore is
    // not part of this library. Its point (no other callback's on_train_end runs) is the test above.

    // Keras: test_normal_training_does_not_raise — finite losses, raise_error False and True: both
    // fits complete their 2 epochs.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void test_normal_training_does_not_raise(bool raiseError)
    {
        var run = Runner.Run(new TerminateOnNaNSettings { RaiseError = raiseError }, WithBatches(1, 0.5, 0.25));
        Assert.False(run.Aborted);
        Assert.False(run.Engine.StopTraining);
        Assert.Equal(2, run.EpochsRun);
        Assert.Empty(run.Decisions);
    }

    // Keras: test_raise_error_terminate_stops_on_later_batch — batch 0 fine, batch 1 inf: the error
    // names the batch ("batch 0" or "batch 1" in the message).
    [Fact]
    public void test_raise_error_terminate_stops_on_later_batch()
    {
        var run = Runner.Run(new TerminateOnNaNSettings { RaiseError = true },
            [Epoch(Logs(("loss", 1.0)), Logs(("loss", 1.0)), Logs(("loss", double.PositiveInfinity)))]);
        Assert.True(run.Aborted);
        Assert.Equal(2, run.Epochs[0].Batches.Count);
        var stop = Assert.Single(run.All<StopRequested>());
        Assert.Equal(1, stop.Batch);
        Assert.Contains("batch 1", stop.Reason.Message, StringComparison.OrdinalIgnoreCase);
    }
}
