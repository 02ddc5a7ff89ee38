using Coordinator.Core.Reporting;

namespace Coordinator.Reporting.Tests;

public class TrainingPlotTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Writes_a_png_of_the_requested_size()
    {
        using var folder = new TempFolder();
        var path = TrainingPlot.Write(Samples.StoppedRun(), folder.Path);

        Assert.Equal(Path.Combine(folder.Path, "training.png"), path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.InRange(bytes.Length, 20_000, 2_000_000);
        Assert.Equal((1000, 900), PngSize(bytes));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
        Assert.Empty(Directory.GetFiles(folder.Path, ".*"));

        var sample = Environment.GetEnvironmentVariable("REPORTING_SAMPLE_PNG");
        if (!string.IsNullOrEmpty(sample)) File.Copy(path, sample, overwrite: true);
    }

    [Fact]
    public void Survives_an_empty_run_and_non_finite_values()
    {
        var empty = Samples.StoppedRun() with
        {
            Status = RunStatus.Failed, History = [], LrChanges = [], Checkpoints = [], BestEpoch = null, Best = null,
            Error = "worker 1 left",
        };
        Assert.Equal(PngSignature, TrainingPlot.RenderPng(empty)[..8]);

        var run = Samples.StoppedRun();
        var nan = run with
        {
            Monitor = "val_accuracy",
            History = [.. run.History.Select(e => e.Epoch % 5 == 0 ? e with { Logs = e.Logs.With("loss", double.NaN).With("val_accuracy", double.PositiveInfinity) } : e with { Logs = e.Logs.With("val_loss", double.NaN) })],
        };
        var bytes = TrainingPlot.RenderPng(nan, 640, 480);
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal((640, 480), PngSize(bytes));
    }

    [Fact]
    public void A_constant_rate_uses_a_linear_axis()
    {
        var run = Samples.StoppedRun();
        var flat = run with { History = [.. run.History.Select(e => e with { Lr = 0.001 })], LrChanges = [] };

        Assert.False(TrainingPlot.RateAxisIsLog(flat.History));
        Assert.Equal(PngSignature, TrainingPlot.RenderPng(flat)[..8]);
    }

    [Fact]
    public void A_rate_cut_by_more_than_10x_uses_a_log_axis()
    {
        var run = Samples.StoppedRun(); // 0.01 down to 0.00008: 125x
        Assert.True(TrainingPlot.RateAxisIsLog(run.History));
        Assert.Equal(PngSignature, TrainingPlot.RenderPng(run)[..8]);
    }

    [Theory]
    [InlineData(new[] { 0.01, 0.001 }, false)]          // exactly 10x: still linear
    [InlineData(new[] { 0.01, 0.00099 }, true)]         // just over 10x
    [InlineData(new[] { 0.01, 0.002, 0.0004 }, true)]   // 25x over three steps
    [InlineData(new[] { 0.01, 0.0, 0.005 }, false)]     // a zero rate cannot be drawn on a log axis: left out
    [InlineData(new[] { 0.01, double.NaN, 1e-9 }, true)] // NaN left out, the rest spans 10^7
    [InlineData(new double[0], false)]                   // no epochs
    public void The_rate_axis_is_log_only_when_the_drawable_rates_span_more_than_10x(double[] rates, bool log)
    {
        var history = rates.Select((lr, epoch) => new EpochRecord(epoch, lr, 1, 0.5, 1, 0.5, 1)).ToList();
        Assert.Equal(log, TrainingPlot.RateAxisIsLog(history));
    }

    // IHDR: width and height as big-endian 32-bit integers at bytes 16..23.
    private static (int Width, int Height) PngSize(byte[] png) =>
        (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)),
         System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
}
