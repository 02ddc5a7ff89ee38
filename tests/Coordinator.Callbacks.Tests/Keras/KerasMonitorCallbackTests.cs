using Coordinator.Callbacks.Monitoring;
using Coordinator.Callbacks.Tests.TestSupport;
using static Coordinator.Callbacks.Tests.TestSupport.Epochs;

namespace Coordinator.Callbacks.Tests.Keras;

/// <summary>
/// Ports of keras/src/callbacks/monitor_callback_test.py (Keras 3, MonitorCallbackTest). Keras's
/// MonitorCallback base is our <see cref="MetricDirections"/> + <see cref="MonitorComparison"/>,
/// shared by EarlyStopping, ReduceLROnPlateau and ModelCheckpoint.
/// </summary>
public class KerasMonitorCallbackTests
{
    public static TheoryData<MonitorMode, string, Direction> Cases => new()
    {
        { MonitorMode.Max, "val_mse", Direction.Maximize },
        { MonitorMode.Min, "val_loss", Direction.Minimize },
        { MonitorMode.Auto, "val_mse", Direction.Minimize },
        { MonitorMode.Auto, "loss", Direction.Minimize },
        { MonitorMode.Auto, "acc", Direction.Maximize },
        { MonitorMode.Auto, "val_accuracy", Direction.Maximize },
        { MonitorMode.Auto, "hinge", Direction.Minimize },
        { MonitorMode.Auto, "f1_score", Direction.Maximize },
    };

    // Keras: test_monitor_op_logic — the (mode, monitor) -> monitor_op table.
    [Theory]
    [MemberData(nameof(Cases))]
    public void test_monitor_op_logic(MonitorMode mode, string monitor, Direction expected)
    {
        Assert.Equal(expected, MetricDirections.Resolve("monitor", monitor, mode));
    }

    // Keras: test_monitor_op_logic — the same table reaches each monitoring callback: the first value
    // is the best (best starts as None), so ModelCheckpoint(save_best_only) saves epoch 0 and then
    // only a value better in the resolved direction.
    [Theory]
    [MemberData(nameof(Cases))]
    public void test_monitor_op_logic_in_model_checkpoint(MonitorMode mode, string monitor, Direction expected)
    {
        var better = expected == Direction.Minimize ? 0.5 : 2.0;
        var worse = expected == Direction.Minimize ? 2.0 : 0.5;
        var run = Runner.Run(new ModelCheckpointSettings("m-{epoch}.keras") { Monitor = monitor, Mode = mode, SaveBestOnly = true },
            Of(monitor, 1.0, worse, better));
        Assert.Equal(["m-1.keras", "m-3.keras"], run.All<CheckpointRequested>().Select(c => c.Path));
    }

    // Keras: test_monitor_op_logic — monitor="unknown" in auto mode raises ValueError.
    [Fact]
    public void test_monitor_op_logic_unknown_monitor_raises()
    {
        var e = Assert.Throws<CallbackConfigurationException>(() => MetricDirections.Resolve("monitor", "unknown", MonitorMode.Auto));
        Assert.Contains("mode = min or mode = max", e.Message);
        foreach (CallbackSettings s in new CallbackSettings[]
                 {
                     new EarlyStoppingSettings { Monitor = "unknown" },
                     new ReduceLrOnPlateauSettings { Monitor = "unknown" },
                     new ModelCheckpointSettings("m.keras") { Monitor = "unknown" },
                 })
            Assert.Throws<CallbackConfigurationException>(() => Runner.Engine(0.01, s));
    }

    // Keras: test_min_delta — MonitorCallback(mode="max", min_delta=0.5):
    // _is_improvement(0.75, 0) is True, (0.5, None) is True, (0.5, 0) is False, (0.2, 0.5) is False.
    // Keras's None reference is null.
    [Fact]
    public void test_min_delta()
    {
        var cmp = new MonitorComparison(MetricDirections.Resolve("monitor", "val_loss", MonitorMode.Max), 0.5);
        Assert.True(cmp.IsImprovement(0.75, 0));
        Assert.True(cmp.IsImprovement(0.5, null));
        Assert.False(cmp.IsImprovement(0.5, 0));
        Assert.False(cmp.IsImprovement(0.2, 0.5));
    }

    // Keras: test_min_delta's None case, taken further (MonitorCallback._is_improvement returns True
    // for a None reference before comparing anything): NaN and both infinities improve on None, and
    // then every comparison with a NaN reference is false.
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void test_min_delta_none_reference_takes_any_value(double value)
    {
        foreach (var direction in new[] { Direction.Minimize, Direction.Maximize })
        {
            var cmp = new MonitorComparison(direction, 0.5);
            Assert.True(cmp.IsImprovement(value, null));
            Assert.False(cmp.IsImprovement(0.0, double.NaN));
            Assert.False(cmp.IsImprovement(double.NaN, 0.0));
        }
    }
}
