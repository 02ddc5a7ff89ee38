using Coordinator.Core.Reporting;

namespace Coordinator.Reporting.Tests;

public class EpochLineTests
{
    [Fact]
    public void Formats_the_epoch_line_with_notes()
    {
        var epoch = new EpochRecord(2, 0.01, 0.41234, 0.885, 0.39006, 0.89721, 2.14);
        var notes = new[] { EpochLine.LrChangeNote(new LrChangeRecord(3, 0.01, 0.002, "plateau")), "checkpoint saved" };

        Assert.Equal(
            "Epoch 3/60  loss 0.4123  acc 0.8850  val_loss 0.3901  val_acc 0.8972  lr 0.01  2.1s  lr 0.01 -> 0.002 (plateau); checkpoint saved",
            EpochLine.Format(epoch, 60, notes));
    }

    [Fact]
    public void Leaves_out_what_was_not_measured_and_shows_a_diverged_loss()
    {
        var epoch = new EpochRecord(0, (double)0.001f, double.NaN, double.NaN, double.NaN, double.NaN, 0.44);
        Assert.Equal("Epoch 1/5  loss nan  lr 0.001  0.4s", EpochLine.Format(epoch, 5));
        Assert.Equal("Epoch 1/5  loss nan  lr 0.001  0.4s", EpochLine.Format(epoch, 5, ["", " "]));
    }

    [Fact]
    public void Prints_small_rates_as_python_does()
    {
        var epoch = new EpochRecord(11, 1e-05, 0.5, 0.75, double.NaN, double.NaN, 65.25);
        Assert.Equal("Epoch 12/12  loss 0.5000  acc 0.7500  lr 1e-05  65.2s", EpochLine.Format(epoch, 12));
        Assert.Equal("lr 0.0001 -> 1e-05", EpochLine.LrChangeNote(new LrChangeRecord(4, 1e-4, 1e-5, "")));
    }

    private static string Metric(double v) => v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Formats_the_summary_block()
    {
        var summary = Samples.StoppedRun() with { WallSeconds = 125.4 };
        Assert.Equal(
            "Run run-20250101-abc123 stopped after 24 epochs\n" +
            "  best:        val_loss 0.3441 at epoch 24\n" +
            "  stopped:     EarlyStopping: val_loss did not improve for 5 epochs\n" +
            $"  final:       loss {Metric(summary.Final!.Loss)}  acc {Metric(summary.Final.Accuracy)}  val_loss {Metric(summary.Final.ValLoss)}  val_acc {Metric(summary.Final.ValAccuracy)}\n" +
            "  final model: runs/r1/model.bin\n" +
            "  wall time:   2m 05s\n" +
            "  run folder:  runs/r1",
            SummaryBlock.Format(summary, "runs/r1", "runs/r1/model.bin"));
    }

    [Fact]
    public void The_summary_block_of_a_failed_run()
    {
        var summary = Samples.StoppedRun() with
        {
            Status = RunStatus.Failed, EpochsRun = 1, Monitor = null, StopReason = null, FinalModel = null,
            Error = "worker 2 died", WallSeconds = 3725, Final = null,
        };
        Assert.Equal(
            "Run run-20250101-abc123 failed after 1 epoch\n" +
            "  error:       worker 2 died\n" +
            "  final model: none\n" +
            "  wall time:   1h 02m 05s\n" +
            "  run folder:  runs/r2",
            SummaryBlock.Format(summary, "runs/r2", null));
    }
}
