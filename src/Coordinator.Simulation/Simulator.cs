using System.Globalization;
using Coordinator.Callbacks;
using Coordinator.Configuration;

namespace Coordinator.Simulation;

/// <summary>
/// Replays metric logs through the callback engine with Keras's <c>fit</c> loop: epoch begin,
/// each batch's end (stopping after the batch that set <c>stop_training</c>), epoch end (even
/// after a batch stopped training, as Keras does), and train end.
/// </summary>
public sealed class Simulator(SimulationOptions options)
{
    /// <summary>Runs the replay, reporting each epoch and each warning as it happens.</summary>
    public SimulationSummary Run(Action<SimulatedEpoch> onEpoch, Action<CallbackWarning> onWarning)
    {
        Validate();
        var engine = new CallbackEngine(options.Callbacks, new RunInfo(options.InitialLearningRate, options.Workers));
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
            if (!engine.Aborted) decisions.AddRange(engine.EndEpoch(row.Logs).Decisions);
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
            first?.BestValue);
    }

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

    private void Validate()
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
        if (!(options.InitialLearningRate > 0) || !double.IsFinite(options.InitialLearningRate)
            || !float.IsFinite((float)options.InitialLearningRate) || (float)options.InitialLearningRate <= 0)
            throw new ConfigurationError("--initial-lr", options.InitialLearningRate.ToString("R", CultureInfo.InvariantCulture),
                "must be a finite number above 0, as a float32 too (the rate's type: from 1E-45 to 3.4028235E+38)");
        if (options.BatchesPerEpoch < 1)
            throw new ConfigurationError("--batches-per-epoch", options.BatchesPerEpoch.ToString(CultureInfo.InvariantCulture), "must be a whole number, 1 or more");
        if (options.Workers < 1)
            throw new ConfigurationError("--workers", options.Workers.ToString(CultureInfo.InvariantCulture), "must be a whole number, 1 or more");
    }

    private static void Warn(IEnumerable<CallbackDecision> decisions, Action<CallbackWarning> onWarning)
    {
        foreach (var w in decisions.OfType<CallbackWarning>()) onWarning(w);
    }
}
