using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Keras;

/// <summary>
/// Ports of keras/src/callbacks/hard_terminate_on_nan_test.py (Keras 3, HardTerminateOnNaNTest).
/// Keras's HardTerminateOnNaN is what our TerminateOnNaN does with raise_error = true.
/// </summary>
public class KerasHardTerminateOnNaNTests
{
    private static readonly TerminateOnNaNSettings Hard = new() { RaiseError = true };

    // Keras: test_hard_terminate_on_nan_raises_error — inf targets: fit raises RuntimeError.
    [Fact]
    public void test_hard_terminate_on_nan_raises_error()
    {
        var run = Runner.Run(Hard, WithBatches(2, double.PositiveInfinity));
        Assert.True(run.Aborted);
        Assert.Null(run.TrainEnded);
        Assert.Equal(StopKind.NonFiniteLoss, run.Engine.StopReason!.Kind);
    }

    // Keras: test_hard_terminate_does_not_trigger_on_train_end — the other callback's on_train_end is
    // not called. Here: a CSV logger and an EarlyStopping(restore_best_weights) placed first make no
    // decision at the (skipped) epoch end and train end.
    [Fact]
    public void test_hard_terminate_does_not_trigger_on_train_end()
    {
        var engine = Runner.Engine(0.01,
            new EarlyStoppingSettings { Monitor = "loss", RestoreBestWeights = true },
            new CsvLoggerSettings("log.csv"),
            Hard);
        engine.TrainBegin();
        engine.BeginEpoch(0);
        Assert.True(engine.EndBatch(0, Logs(("loss", double.NaN))).Aborted);
        Assert.Empty(engine.EndEpoch(Logs(("loss", double.NaN))).Decisions);
        Assert.Empty(engine.EndTrain().Decisions);
    }

    // Keras: test_hard_terminate_preserves_backup — not applicable: BackupAndRestore is not part of
    // this library (the "no on_train_end" half is the test above).

    // Keras: test_normal_training_does_not_raise — finite losses, 2 epochs complete.
    [Fact]
    public void test_normal_training_does_not_raise()
    {
        var run = Runner.Run(Hard, WithBatches(2, 1.0, 2.0));
        Assert.False(run.Aborted);
        Assert.Equal(2, run.EpochsRun);
    }
}
