namespace Coordinator.Callbacks.Tests.TestSupport;

/// <summary>What the training loop feeds the callbacks for one epoch: the batch logs, then the epoch logs.</summary>
public sealed record EpochInput(MetricLogs Logs, IReadOnlyList<MetricLogs> Batches)
{
    public override string ToString() =>
        $"{Describe.Logs(Logs)} ({Batches.Count} batches)";
}

/// <summary>Small builders for logs and epoch sequences.</summary>
public static class Epochs
{
    public static MetricLogs Logs(params (string Key, double Value)[] values) =>
        new(values.Select(v => new KeyValuePair<string, double>(v.Key, v.Value)));

    /// <summary>One epoch whose logs are <paramref name="values"/>, without batches.</summary>
    public static EpochInput Epoch(params (string Key, double Value)[] values) => new(Logs(values), []);

    /// <summary>One epoch with batches (each batch's logs given) and then the epoch logs.</summary>
    public static EpochInput Epoch(MetricLogs logs, params MetricLogs[] batches) => new(logs, batches);

    /// <summary>One epoch per value, each with <c>{monitor: value}</c> as its logs.</summary>
    public static List<EpochInput> Of(string monitor, params double[] values) =>
        values.Select(v => Epoch((monitor, v))).ToList();

    /// <summary>
    /// One epoch per value, each with <paramref name="batchesPerEpoch"/> batches whose loss is the
    /// epoch's value (so TerminateOnNaN sees it), then <c>{loss, val_loss}</c> at the epoch end.
    /// </summary>
    public static List<EpochInput> WithBatches(int batchesPerEpoch, params double[] losses) =>
        losses.Select(v => Epoch(Logs(("loss", v), ("val_loss", v)),
            Enumerable.Range(0, batchesPerEpoch).Select(_ => Logs(("loss", v))).ToArray())).ToList();

    /// <summary><paramref name="count"/> epochs of <paramref name="batchesPerEpoch"/> batches each, all with loss 1.</summary>
    public static List<EpochInput> Batched(int count, int batchesPerEpoch) =>
        WithBatches(batchesPerEpoch, Enumerable.Repeat(1.0, count).ToArray());
}
