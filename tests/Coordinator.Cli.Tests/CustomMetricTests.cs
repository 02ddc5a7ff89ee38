using Akka.TestKit.Xunit2;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.TestSupport;
using Coordinator.Callbacks;
using Coordinator.Cli.Train;
using Coordinator.Core.Metrics;
using Coordinator.Core.Replicas;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using Xunit.Abstractions;

namespace Coordinator.Cli.Tests;

/// <summary>
/// A metric of the test's own, added to a replica and nowhere else: the supervisor aggregates it by name,
/// a callback monitors it with <c>mode = auto</c> (its declared direction), and summary.json and history.csv
/// carry it — the protocol and the actors are the product's, unchanged.
/// </summary>
public sealed class CustomMetricTests(ITestOutputHelper output) : TestKit(TestConfig.Create(), "custom-metric", output)
{
    private readonly TempFolder _temp = new();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _temp.Dispose();
    }

    [Fact]
    public void A_replica_s_own_metric_is_aggregated_monitored_with_mode_auto_and_written_to_the_run_files()
    {
        var patience = 2;
        var harness = new RunHarness(this, workers: 3, batchSize: 8, [new EarlyStoppingSettings { Monitor = "val_hit_rate", Patience = patience }],
            epochs: 30, folder: _temp.Combine("run"), replicas: linear => new HitRateFactory(linear));
        var (summary, progress) = harness.Finish();
        var epochs = progress.OfType<RunProgress.RunFinished>().Single().Epochs;

        // Aggregated by name, weighted by count: 32 validation samples split 11/11/10 among the workers give back
        // the share of the final model's predictions within reach, computed here over the whole set at once.
        var final = harness.Factory.Made[0];
        Assert.Equal(HitRateReplica.Hits(final, Enumerable.Range(0, 32), validation: true) / 32.0, summary.Final!.Logs["val_hit_rate"]);
        Assert.Equal(HitRateReplica.Hits(final, Enumerable.Range(0, 96), validation: false) / 96.0, summary.Final.Logs["hit_rate"]);
        Assert.Equal(["loss", "accuracy", "hit_rate", "val_loss", "val_accuracy", "val_hit_rate"], summary.Final.Logs.Names());

        // mode = auto took the declared direction (up): the best is the highest value, and the run stopped where
        // Keras's EarlyStopping maximizing it stops.
        var values = epochs.Select(e => e.Logs["val_hit_rate"]).ToList();
        Output?.WriteLine("val_hit_rate: " + string.Join(" ", values));
        Assert.Equal("val_hit_rate", summary.Monitor);
        Assert.Equal(values.Max(), summary.Best);
        Assert.Equal(values.IndexOf(values.Max()), summary.BestEpoch);
        Assert.Equal(StopEpoch(values, patience, (a, b) => a > b), summary.Status == RunStatus.Stopped ? summary.StoppedEpoch : null);
        Assert.NotEqual(StopEpoch(values, patience, (a, b) => a > b), StopEpoch(values, patience, (a, b) => a < b));

        // summary.json and history.csv, written as `train` writes them.
        var folder = harness.Folder;
        RunOutputs.Write(folder, summary, epochs.Select(e => (e.Epoch, e.Logs)).ToList());
        var written = SummaryJson.Read(folder);
        Assert.Equal(summary.Final, written.Final);
        Assert.Equal(values, written.History.Select(h => h.Logs["val_hit_rate"]));
        Assert.Equal(epochs.Select(e => e.Logs["hit_rate"]), written.History.Select(h => h.Logs["hit_rate"]));
        var csv = File.ReadAllLines(Path.Combine(folder, HistoryCsv.FileName));
        var header = csv[0].Split(',');
        Assert.Equal(["epoch", "accuracy", "hit_rate", "learning_rate", "loss", "val_accuracy", "val_hit_rate", "val_loss"], header);
        var column = Array.IndexOf(header, "val_hit_rate");
        Assert.Equal(values, csv.Skip(1).Select(line => double.Parse(line.Split(',')[column], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_declared_metric_without_a_direction_is_refused_under_mode_auto_and_taken_with_an_explicit_mode()
    {
        var declared = new Dictionary<string, Callbacks.Monitoring.Direction?> { ["spread"] = null };
        var auto = new EarlyStoppingSettings { Monitor = "val_spread" };
        var e = Assert.Throws<CallbackConfigurationException>(() => new CallbackEngine([auto], new RunInfo(0.1) { Metrics = declared }));
        Assert.Contains("set mode = min or mode = max", e.Message);
        _ = new CallbackEngine([auto with { Mode = MonitorMode.Min }], new RunInfo(0.1) { Metrics = declared });
    }

    // Keras's EarlyStopping on these values (best starts as None, min_delta 0): the epoch it stops at, or null.
    private static int? StopEpoch(IReadOnlyList<double> values, int patience, Func<double, double, bool> better)
    {
        double? best = null;
        var wait = 0;
        for (var epoch = 0; epoch < values.Count; epoch++)
        {
            wait++;
            if (best is null || better(values[epoch], best.Value)) (best, wait) = (values[epoch], 0);
            if (wait >= patience && epoch > 0) return epoch;
        }
        return null;
    }

    /// <summary>Linear replicas that also report <c>hit_rate</c>: the share of predictions within <see cref="HitRateReplica.Reach"/> of the target.</summary>
    private sealed class HitRateFactory(LinearReplicaFactory linear) : IReplicaFactory
    {
        public IReplica Create(int worker) => new HitRateReplica((LinearReplica)linear.Create(worker));

        public IReadOnlyList<MetricDefinition> Metrics => [.. linear.Metrics, new MetricDefinition("hit_rate", MetricDirection.Up)];
    }

    private sealed class HitRateReplica(LinearReplica inner) : IReplica
    {
        public const double Reach = 1.0;

        public static int Hits(LinearReplica replica, IEnumerable<int> samples, bool validation) =>
            samples.Select(i => validation ? 10_000 + i : i).Count(s => Math.Abs(replica.Prediction(s) - replica.Y(s)) < Reach);

        public int ParameterCount => inner.ParameterCount;
        public void BeginEpoch(int epoch) => inner.BeginEpoch(epoch);

        public BatchResult ComputeGradients(ReadOnlySpan<int> trainIndices) =>
            With(inner.ComputeGradients(trainIndices), Hits(inner, trainIndices.ToArray(), validation: false));

        public BatchResult Evaluate(ReadOnlySpan<int> indices, bool validation) =>
            With(inner.Evaluate(indices, validation), Hits(inner, indices.ToArray(), validation));

        private static BatchResult With(BatchResult result, int hits) =>
            result.Count == 0 ? result : new(result.Count, [.. result.Metrics, new MetricSum("hit_rate", hits, result.Count)]);

        public void ReadGradients(Span<float> destination) => inner.ReadGradients(destination);
        public void ApplyGradients(ReadOnlySpan<float> gradient, double learningRate) => inner.ApplyGradients(gradient, learningRate);
        public void Step(double learningRate) => inner.Step(learningRate);
        public void ReadParameters(Span<float> destination) => inner.ReadParameters(destination);
        public void WriteParameters(ReadOnlySpan<float> source) => inner.WriteParameters(source);
        public void SaveWeights(Stream destination) => inner.SaveWeights(destination);
        public void LoadWeights(Stream source) => inner.LoadWeights(source);
        public void SaveTrainingState(Stream destination) => inner.SaveTrainingState(destination);
        public void LoadTrainingState(Stream source) => inner.LoadTrainingState(source);
        public void Dispose() => inner.Dispose();
    }
}
