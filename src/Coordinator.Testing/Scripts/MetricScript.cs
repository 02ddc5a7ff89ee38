using System.Collections.Immutable;
using System.Globalization;
using Coordinator.Callbacks;
using Coordinator.Simulation;

namespace Coordinator.Testing.Scripts;

/// <summary>
/// What the simulated workers report: each epoch's logs and, optionally, each batch's running mean loss
/// (Keras's batch log, which TerminateOnNaN and an integer <c>save-freq</c> see). Built from code or
/// from the CSV files <c>coordinator simulate</c> reads. Epochs count from 0.
/// </summary>
public sealed class MetricScript
{
    private static readonly HashSet<string> Known = ["loss", "accuracy", "val_loss", "val_accuracy"];

    private MetricScript(ImmutableArray<EpochMetrics> epochs, ImmutableDictionary<int, ImmutableArray<double>> batches)
    {
        if (epochs.IsEmpty) throw new ArgumentException("a metric script needs at least one epoch");
        for (var e = 0; e < epochs.Length; e++) Check(e, epochs[e]);
        foreach (var (epoch, losses) in batches)
            if (epoch < 0 || losses.IsEmpty)
                throw new ArgumentException($"batch losses of epoch {epoch}: an epoch in the script has at least one batch");
        (Epochs, Batches) = (epochs, batches);
    }

    /// <summary>Each epoch's logs; the script runs <c>Epochs.Count</c> epochs at most.</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; }

    /// <summary>Running mean losses per batch, for the epochs that have them (others play their epoch loss).</summary>
    public IReadOnlyDictionary<int, ImmutableArray<double>> Batches { get; }

    /// <summary>Epoch <c>e</c> logs <c>metrics(e)</c>, for <paramref name="epochs"/> epochs (evaluated once, here).</summary>
    public static MetricScript Of(int epochs, Func<int, EpochMetrics> metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        return new MetricScript(Enumerable.Range(0, epochs).Select(metrics).ToImmutableArray(), ImmutableDictionary<int, ImmutableArray<double>>.Empty);
    }

    public static MetricScript Of(IEnumerable<EpochMetrics> epochs) =>
        new(epochs.ToImmutableArray(), ImmutableDictionary<int, ImmutableArray<double>>.Empty);

    /// <summary>
    /// Reads an <c>epoch,&lt;metrics&gt;</c> file (and an <c>epoch,batch,loss,...</c> file) as <c>coordinator simulate</c>
    /// does; a run's <c>history.csv</c> reads too. Columns beyond loss, accuracy, val_loss and val_accuracy are
    /// played as <see cref="EpochMetrics.Others"/>, except <c>learning_rate</c>, which the supervisor decides
    /// itself and is ignored; of a batch file only <c>loss</c> is played.
    /// </summary>
    public static MetricScript FromCsv(string epochsCsv, string? batchesCsv = null)
    {
        var table = MetricCsvReader.ReadEpochs(epochsCsv);
        var epochs = new List<EpochMetrics>();
        foreach (var row in table.Rows)
        {
            if (row.Epoch != epochs.Count)
                throw new MetricCsvError(table.File, row.Line, $"epoch {row.Epoch} where epoch {epochs.Count} was expected (epochs count from 0, one row each)");
            var loss = row.Logs.Get("loss") ?? throw new MetricCsvError(table.File, row.Line, "loss is missing (every epoch logs a loss)");
            epochs.Add(new EpochMetrics(loss, row.Logs.Get("accuracy"), row.Logs.Get("val_loss"), row.Logs.Get("val_accuracy"))
            {
                Others = row.Logs.Where(l => !Known.Contains(l.Key) && l.Key != "learning_rate").ToDictionary(),
            });
        }
        var script = Of(epochs);
        if (batchesCsv is null) return script;

        var batches = new Dictionary<int, List<double>>();
        foreach (var row in MetricCsvReader.ReadBatches(batchesCsv).Rows)
        {
            var list = batches.TryGetValue(row.Epoch, out var l) ? l : batches[row.Epoch] = [];
            if (row.Batch != list.Count)
                throw new MetricCsvError(batchesCsv, row.Line, $"batch {row.Batch} of epoch {row.Epoch}: expected batch {list.Count} (batches count from 0 in each epoch)");
            list.Add(row.Logs.Get("loss") ?? throw new MetricCsvError(batchesCsv, row.Line, "loss is missing"));
        }
        return script.WithBatches(batches.ToImmutableDictionary(kv => kv.Key, kv => kv.Value.ToImmutableArray()));
    }

    /// <summary>Each epoch runs <paramref name="batchesPerEpoch"/> batches whose running mean loss is <c>runningLoss(epoch, batch)</c>.</summary>
    public MetricScript WithBatchLosses(int batchesPerEpoch, Func<int, int, double> runningLoss)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesPerEpoch, 1);
        return WithBatches(Enumerable.Range(0, Epochs.Count).ToImmutableDictionary(e => e,
            e => Enumerable.Range(0, batchesPerEpoch).Select(b => runningLoss(e, b)).ToImmutableArray()));
    }

    /// <summary>The running loss of each batch of <paramref name="epoch"/>; without batch losses, <paramref name="steps"/> batches at the epoch's loss.</summary>
    internal IReadOnlyList<double> BatchLosses(int epoch, int steps) =>
        Batches.TryGetValue(epoch, out var losses) ? losses : Enumerable.Repeat(Epochs[epoch].Loss, steps).ToArray();

    private MetricScript WithBatches(ImmutableDictionary<int, ImmutableArray<double>> batches)
    {
        var beyond = batches.Keys.Where(e => e >= Epochs.Count).ToList();
        if (beyond.Count > 0)
            throw new ArgumentException($"batch losses for epoch(s) {string.Join(", ", beyond)}, which the script does not have ({Epochs.Count} epochs)");
        return new MetricScript(Epochs.ToImmutableArray(), batches);
    }

    private static void Check(int epoch, EpochMetrics m)
    {
        static bool Fraction(double? v) => v is null || v is >= 0 and <= 1;
        var inv = CultureInfo.InvariantCulture;
        if (!Fraction(m.Accuracy))
            throw new ArgumentException($"epoch {epoch}: accuracy {m.Accuracy!.Value.ToString("R", inv)} is not a fraction between 0 and 1");
        if (!Fraction(m.ValAccuracy))
            throw new ArgumentException($"epoch {epoch}: val_accuracy {m.ValAccuracy!.Value.ToString("R", inv)} is not a fraction between 0 and 1");
        if (m.ValAccuracy is not null && m.ValLoss is null)
            throw new ArgumentException($"epoch {epoch}: val_accuracy without val_loss (the supervisor logs them together)");
    }
}
