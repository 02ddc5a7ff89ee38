using System.Globalization;
using Coordinator.Callbacks;
using Coordinator.Configuration;

namespace Coordinator.Simulation;

/// <summary>
/// Replays metric logs through the callback engine with Keras's <c>fit</c> loop: epoch begin,
/// each batch's end (stopping after the batch that set <c>stop_training</c>), epoch end (even
/// after a batch stopped training, as Keras does), and train end. A <c>learning_rate</c> column is
/// the run's record, not a metric: the engine logs its own rate, and a replay whose rate departs
/// from the record says so.
/// </summary>
public sealed class Simulator(SimulationOptions options)
{
    public const string RateColumn = "learning_rate";

    /// <summary>Runs the replay, reporting each epoch and each warning as it happens.</summary>
    public SimulationSummary Run(Action<SimulatedEpoch> onEpoch, Action<CallbackWarning> onWarning)
    {
        Validate();
        var engine = new CallbackEngine(options.Callbacks, new RunInfo(InitialLearningRate(), options.Workers));
        var rateDeparted = false;
        var batchesByEpoch = options.Batches?.Rows.GroupBy(r => r.Epoch).ToDictionary(g => g.Key, g => g.ToList());
        Warn(engine.TrainBegin(), onWarning);
        var epochsRun = 0;

        foreach (var row in options.Epochs.Rows)
        {
            var start = engine.BeginEpoch(row.Epoch);
            var decisions = new List<CallbackDecision>(start.Decisions);
            epochsRun++;
            foreach (var (batch, logs) in Batches(row.Epoch, batchesByEpoch))
            {
                var ended = engine.EndBatch(batch, logs.Copy());
                decisions.AddRange(ended.Decisions);
                if (ended.StopTraining) break;
            }
            if (!engine.Aborted) decisions.AddRange(engine.EndEpoch(WithoutRate(row.Logs)).Decisions);
            if (!rateDeparted && row.Logs.Get(RateColumn) is { } recorded && (float)recorded != (float)start.LearningRate)
            {
                rateDeparted = true;
                decisions.Add(new CallbackWarning("simulate",
                    $"the metrics' {RateColumn} at epoch {row.Epoch} is {Repr(recorded)}, but the replay trains that epoch with " +
                    $"{Repr(start.LearningRate)}: from here its decisions may not be the run's (the run's starting rate comes " +
                    "from --initial-lr, or from the run's configuration given as --callbacks)"));
            }
            Warn(decisions, onWarning);
            onEpoch(new SimulatedEpoch(row.Epoch, start.LearningRate, engine.LearningRate, engine.StopTraining,
                decisions.OfType<CheckpointRequested>().Select(c => c.Path).ToList(), decisions));
            if (engine.StopTraining) break;
        }

        var end = engine.EndTrain();
        Warn(end.Decisions, onWarning);
        var stoppers = engine.Callbacks.OfType<EarlyStopping>().ToList();
        var first = stoppers.FirstOrDefault();
        return new SimulationSummary(
            epochsRun,
            first is null ? null : stoppers.Select(s => s.StoppedEpoch).FirstOrDefault(e => e > 0),
            engine.StopReason,
            end.RestoredWeightsEpoch,
            first?.Best);
    }

    /// <summary>The rate before epoch 0: as given, else the run's record of epoch 0 (unless a
    /// scheduler set that epoch's rate from the initial one), else Keras's SGD default.</summary>
    public double InitialLearningRate()
    {
        if (options.InitialLearningRate is { } given) return given;
        var hasScheduler = options.Callbacks.Any(c => c is LearningRateSchedulerSettings);
        return !hasScheduler && options.Epochs.Rows.Count > 0 && options.Epochs.Rows[0].Logs.Get(RateColumn) is { } recorded
            ? recorded
            : SimulationOptions.DefaultLearningRate;
    }

    private static MetricLogs WithoutRate(MetricLogs logs) => new(logs.Where(kv => kv.Key != RateColumn));

    private static string Repr(double v) => Callbacks.Formatting.PythonFloat.Repr(v);

    private IEnumerable<(int Batch, MetricLogs Logs)> Batches(int epoch, Dictionary<int, List<MetricRow>>? byEpoch)
    {
        if (byEpoch is null)
        {
            for (var b = 0; b < options.BatchesPerEpoch; b++) yield return (b, new MetricLogs());
            yield break;
        }
        if (!byEpoch.TryGetValue(epoch, out var rows))
            throw new MetricCsvError(options.Batches!.File, 0, $"has no rows for epoch {epoch}, which the metrics file runs");
        foreach (var r in rows) yield return (r.Batch!.Value, r.Logs);
    }

    /// <summary>Checks the options (also done by <see cref="Run"/>): bad input is refused before anything is replayed.</summary>
    public void Validate()
    {
        var rows = options.Epochs.Rows;
        if (rows.Count == 0) throw new MetricCsvError(options.Epochs.File, 0, "has no epoch rows");
        for (var i = 1; i < rows.Count; i++)
            if (rows[i].Epoch != rows[i - 1].Epoch + 1)
                throw new MetricCsvError(options.Epochs.File, rows[i].Line,
                    $"epoch {rows[i].Epoch} follows epoch {rows[i - 1].Epoch}; epochs must be consecutive");
        if (options.Batches is { } batches)
        {
            MetricRow? previous = null;
            foreach (var r in batches.Rows)
            {
                var expected = previous is null || previous.Epoch != r.Epoch ? 0 : previous.Batch!.Value + 1;
                if (previous is not null && r.Epoch < previous.Epoch)
                    throw new MetricCsvError(batches.File, r.Line, $"epoch {r.Epoch} comes after epoch {previous.Epoch}; rows must be in order");
                if (r.Batch != expected)
                    throw new MetricCsvError(batches.File, r.Line, $"batch {r.Batch} of epoch {r.Epoch}: expected batch {expected} (batches count from 0 in each epoch)");
                previous = r;
            }
        }
        // The rate is held as a float32 (as Keras holds it): 1e300 is finite as a double only.
        var rate = InitialLearningRate();
        if (!(rate > 0) || !double.IsFinite(rate) || !float.IsFinite((float)rate) || (float)rate <= 0)
            throw new ConfigurationError(options.InitialLearningRate is null ? $"{options.Epochs.File}: {RateColumn} at epoch 0" : "--initial-lr",
                rate.ToString("R", CultureInfo.InvariantCulture), "must be a finite number above 0, as a float32 too (the rate's type: from 1E-45 to 3.4028235E+38)");
        CheckMonitors();
        if (options.BatchesPerEpoch < 1)
            throw new ConfigurationError("--batches-per-epoch", options.BatchesPerEpoch.ToString(CultureInfo.InvariantCulture), "must be a whole number, 1 or more");
        if (options.Workers < 1)
            throw new ConfigurationError("--workers", options.Workers.ToString(CultureInfo.InvariantCulture), "must be a whole number, 1 or more");
    }

    // A monitor the logs never hold is a typo far more often than Keras's "metric not available"
    // warning at every epoch is wanted; and before the engine is built, so that a misspelled name
    // is not reported as a metric of unknown direction.
    private void CheckMonitors()
    {
        for (var i = 0; i < options.Callbacks.Count; i++)
        {
            var (monitor, atBatches) = options.Callbacks[i] switch
            {
                EarlyStoppingSettings s => (s.Monitor, false),
                ReduceLrOnPlateauSettings s => (s.Monitor, false),
                ModelCheckpointSettings s when s.SaveBestOnly || s.SaveTopK > 0 => (s.Monitor, s.SaveFreqBatches is not null),
                _ => ((string?)null, false),
            };
            var table = atBatches ? options.Batches : options.Epochs;
            if (monitor is null || table is null) continue;
            var logged = atBatches ? table.Metrics : [.. table.Metrics.Where(m => m != RateColumn), RateColumn];
            if (!logged.Contains(monitor))
                throw new ConfigurationError($"callbacks[{i}].monitor", monitor,
                    $"unknown metric; the logs have: {string.Join(", ", logged)} (from {table.File})");
        }
    }

    private static void Warn(IEnumerable<CallbackDecision> decisions, Action<CallbackWarning> onWarning)
    {
        foreach (var w in decisions.OfType<CallbackWarning>()) onWarning(w);
    }
}
