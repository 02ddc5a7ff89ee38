using Coordinator.Core.Reporting;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;
using Coordinator.Core.Storage;

namespace Coordinator.Reporting;

/// <summary>
/// <c>training.png</c>: panels over the same epoch axis — one per metric the run logs, with its
/// <c>val_</c> twin (loss and val_loss, accuracy and val_accuracy, ...), and the learning rate (on a log
/// scale when it spans more than 10x) — with vertical
/// marks where the rate changed (dashed violet), where checkpoints were saved (dotted teal, paler
/// when since deleted) and where training stopped (solid red), and a marker on the best epoch of the
/// monitored metric. Non-finite values are left out of the lines. Rendered with ScottPlot 5
/// (SkiaSharp), headless.
/// </summary>
public static class TrainingPlot
{
    public const string FileName = "training.png";
    public const int DefaultWidth = 1000;
    public const int DefaultHeight = 900;

    private static readonly Color LossColor = Colors.SteelBlue;
    private static readonly Color ValLossColor = Colors.DarkOrange;
    private static readonly Color RateColor = Colors.Green;
    private static readonly Color RateChangeColor = Colors.DarkViolet;
    private static readonly Color CheckpointColor = Colors.Teal;
    private static readonly Color DeletedCheckpointColor = Colors.Teal.WithAlpha(0.3);
    private static readonly Color StopColor = Colors.Red;
    private static readonly Color BestColor = Colors.Black;

    // The rate panel's share of the height (with two metric panels, each has 0.37).
    private const float RateShare = 0.26f;
    // Fixed margins keep the three data areas aligned; the legends sit in the right margin.
    private const float LeftMargin = 80, RightMargin = 190, TitleMargin = 45, TopMargin = 12, BottomMargin = 30, AxisLabelMargin = 55;

    // ScottPlot's default font may not exist here; SkiaSharp's font manager then falls back to a
    // serif face. Prefer a sans-serif family the machine has.
    private static readonly Lazy<string?> SansFont = new(() =>
        new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Open Sans" }
            .FirstOrDefault(f => SKFontManager.Default.MatchFamily(f) is { } face && Dispose(face)));

    /// <summary>Renders the plot into <paramref name="runFolder"/> (atomically); returns its path.</summary>
    public static string Write(RunSummary summary, string runFolder, int width = DefaultWidth, int height = DefaultHeight)
    {
        var path = Path.Combine(runFolder, FileName);
        AtomicFile.WriteAllBytes(path, RenderPng(summary, width, height));
        return path;
    }

    /// <summary>The PNG bytes.</summary>
    public static byte[] RenderPng(RunSummary summary, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 300);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 300);

        var metrics = Metrics(summary);
        var panels = metrics.Select(m => MetricPanel(summary, m)).Append(RatePanel(summary)).ToArray();
        try
        {
            Style(summary, panels);
            using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
                ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface");
            Draw(surface.Canvas, panels, width, height);
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100)
                ?? throw new InvalidOperationException("SkiaSharp could not encode the PNG");
            return data.ToArray();
        }
        finally
        {
            foreach (var panel in panels) panel.Dispose();
        }
    }

    /// <summary>The metrics drawn, one panel each: the logs' names without <c>val_</c>, in the order logged
    /// (loss first when the run logs none).</summary>
    public static IReadOnlyList<string> Metrics(RunSummary summary)
    {
        var names = summary.History.SelectMany(e => e.Logs.Names())
            .Select(n => n.StartsWith("val_", StringComparison.Ordinal) ? n[4..] : n)
            .Distinct(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? ["loss"] : names;
    }

    private static void Style(RunSummary summary, Plot[] panels)
    {
        var (loss, rate) = (panels[0], panels[^1]);

        var (xMin, xMax) = EpochRange(summary);
        foreach (var panel in panels)
        {
            panel.Axes.SetLimitsX(xMin, xMax);
            panel.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
            panel.Legend.FontSize = 12;
            if (SansFont.Value is { } font) panel.Font.Set(font);
            panel.Axes.Left.Label.FontSize = 14;
        }
        loss.Title(Title(summary), size: 17);
        rate.XLabel("epoch", size: 14);
        if (summary.History.Count == 0)
            loss.Add.Annotation("no epochs recorded");
    }

    private static void Draw(SKCanvas canvas, Plot[] panels, int width, int height)
    {
        canvas.Clear(SKColors.White);
        var metricShare = (1 - RateShare) / (panels.Length - 1);
        float top = 0;
        for (var i = 0; i < panels.Length; i++)
        {
            var bottom = i == panels.Length - 1 ? height : top + height * metricShare;
            var rect = new PixelRect(0, width, bottom, top);
            panels[i].Layout.Fixed(new PixelPadding(
                LeftMargin, RightMargin, i == panels.Length - 1 ? AxisLabelMargin : BottomMargin, i == 0 ? TitleMargin : TopMargin));
            // A plot fills its whole canvas with its background: confine each panel to its band.
            canvas.Save();
            canvas.ClipRect(new SKRect(0, top, width, bottom));
            panels[i].Render(canvas, rect);
            canvas.Restore();
            top = bottom;
        }
    }

    private static string Title(RunSummary summary)
    {
        var status = summary.Status.Name();
        var best = SummaryBlock.Best(summary);
        return best is null ? $"{summary.RunId}: {status}" : $"{summary.RunId}: {status}, best {best}";
    }

    private static Plot MetricPanel(RunSummary summary, string metric)
    {
        var plot = new Plot();
        plot.YLabel(metric);
        AddMarks(plot, summary, withLegend: false); // first: under the curves
        AddSeries(plot, summary.History, e => e.Logs[metric], metric, LossColor);
        AddSeries(plot, summary.History, e => e.Logs["val_" + metric], "val_" + metric, ValLossColor);
        if (BestPanel(summary) == metric) AddBest(plot, summary);
        ShowLegend(plot);
        return plot;
    }

    private static Plot RatePanel(RunSummary summary)
    {
        var plot = new Plot();
        var points = RatePoints(summary.History);
        var log = RateAxisIsLog(summary.History);
        plot.YLabel(log ? "learning rate (log)" : "learning rate");
        if (points.Count > 0)
        {
            var ys = points.Select(e => log ? Math.Log10(e.Lr) : e.Lr).ToArray();
            var line = plot.Add.ScatterLine(points.Select(e => X(e.Epoch)).ToArray(), ys, RateColor);
            line.LineWidth = 2;
            line.MarkerSize = points.Count <= 60 ? 4 : 0;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.LegendText = "learning rate";
            if (log)
            {
                plot.Axes.Left.TickGenerator = new NumericAutomatic
                {
                    IntegerTicksOnly = true,
                    MinorTickGenerator = new LogMinorTickGenerator(),
                    LabelFormatter = y => NumberText.Rate(Math.Pow(10, y)),
                };
                plot.Axes.SetLimitsY(ys.Min() - 0.15, ys.Max() + 0.15);
            }
            else
            {
                plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = NumberText.Rate };
                var (lo, hi) = (ys.Min(), ys.Max());
                var pad = hi > lo ? (hi - lo) * 0.1 : Math.Abs(hi) * 0.1;
                plot.Axes.SetLimitsY(Math.Max(0, lo - pad), hi + pad);
            }
        }
        AddMarks(plot, summary, withLegend: true); // after the rate: the legend lists the rate first
        ShowLegend(plot);
        return plot;
    }

    /// <summary>
    /// Whether the learning-rate panel draws its axis on a log scale: when the plotted rates (finite and
    /// positive; the others are left out) span more than 10x. A constant or gently changed rate stays linear.
    /// </summary>
    public static bool RateAxisIsLog(IReadOnlyList<EpochRecord> history)
    {
        var points = RatePoints(history);
        return points.Count > 0 && points.Max(e => e.Lr) > 10 * points.Min(e => e.Lr);
    }

    private static List<EpochRecord> RatePoints(IReadOnlyList<EpochRecord> history) =>
        history.Where(e => double.IsFinite(e.Lr) && e.Lr > 0).ToList();

    private static void ShowLegend(Plot plot)
    {
        var panel = plot.ShowLegend(Edge.Right);
        panel.Alignment = Alignment.UpperLeft;
    }

    private static bool Dispose(IDisposable disposable)
    {
        disposable.Dispose();
        return true;
    }

    private static void AddSeries(Plot plot, IReadOnlyList<EpochRecord> history, Func<EpochRecord, double> value, string name, Color color)
    {
        var points = history.Where(e => double.IsFinite(value(e))).ToList();
        if (points.Count == 0) return;
        var series = plot.Add.ScatterLine(points.Select(e => X(e.Epoch)).ToArray(), points.Select(value).ToArray(), color);
        series.LineWidth = 2;
        series.MarkerSize = points.Count <= 60 ? 5 : 0;
        series.MarkerShape = MarkerShape.FilledCircle;
        series.LegendText = name;
    }

    /// <summary>The metric whose panel marks the best epoch: the monitored one, without <c>val_</c>.</summary>
    private static string? BestPanel(RunSummary summary) =>
        summary.Monitor is { } m && m.StartsWith("val_", StringComparison.Ordinal) ? m[4..] : summary.Monitor;

    private static void AddBest(Plot plot, RunSummary summary)
    {
        if (summary.BestEpoch is not { } epoch) return;
        var y = summary.Best is { } b && double.IsFinite(b) ? b : MonitoredValue(summary, epoch);
        if (y is not { } value) return;
        var marker = plot.Add.Marker(X(epoch), value, MarkerShape.OpenCircle, 16, BestColor);
        marker.MarkerLineWidth = 2.5f;
        marker.LegendText = $"best (epoch {epoch + 1})";
    }

    private static double? MonitoredValue(RunSummary summary, int epoch)
    {
        var record = summary.History.FirstOrDefault(e => e.Epoch == epoch);
        if (record is null) return null;
        var v = summary.Monitor is { } monitor ? record.Logs[monitor] : double.NaN;
        return double.IsFinite(v) ? v : null;
    }

    private static void AddMarks(Plot plot, RunSummary summary, bool withLegend)
    {
        var first = true;
        foreach (var change in summary.LrChanges)
        {
            AddMark(plot, X(change.Epoch), RateChangeColor, LinePattern.Dashed, 1.5f, withLegend && first ? "lr change" : null);
            first = false;
        }
        var (saved, deleted) = (true, true);
        foreach (var checkpoint in summary.Checkpoints)
        {
            var legend = withLegend && (checkpoint.Deleted ? deleted : saved)
                ? checkpoint.Deleted ? "checkpoint (deleted)" : "checkpoint"
                : null;
            AddMark(plot, X(checkpoint.Epoch), checkpoint.Deleted ? DeletedCheckpointColor : CheckpointColor, LinePattern.Dotted, 2, legend);
            if (checkpoint.Deleted) deleted = false;
            else saved = false;
        }
        if (StopEpoch(summary) is { } stop)
            AddMark(plot, X(stop), StopColor, LinePattern.Solid, 2, withLegend ? "stopped" : null);
    }

    // The axis counts epochs from 1, as Keras prints them (the records count from 0).
    private static double X(int epoch) => epoch + 1;

    private static int? StopEpoch(RunSummary summary)
    {
        if (summary.Status == RunStatus.Completed) return null;
        if (summary.StoppedEpoch > 0) return summary.StoppedEpoch;
        return summary.History.Count > 0 ? summary.History[^1].Epoch : null;
    }

    private static void AddMark(Plot plot, double x, Color color, LinePattern pattern, float width, string? legend)
    {
        var line = plot.Add.VerticalLine(x, width, color, pattern);
        line.EnableAutoscale = false;
        line.LegendText = legend ?? "";
        line.ExcludeFromLegend = legend is null;
    }

    private static (double Min, double Max) EpochRange(RunSummary summary)
    {
        var epochs = summary.History.Select(e => e.Epoch)
            .Concat(summary.LrChanges.Select(c => c.Epoch))
            .Concat(summary.Checkpoints.Select(c => c.Epoch))
            .Concat(StopEpoch(summary) is { } s ? [s] : [])
            .ToList();
        if (epochs.Count == 0) return (0, 1);
        var (min, max) = (X(epochs.Min()), X(epochs.Max()));
        var pad = Math.Max(0.5, (max - min) * 0.02);
        return (min - pad, max + pad);
    }
}
