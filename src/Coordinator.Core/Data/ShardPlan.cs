namespace Coordinator.Core.Data;

/// <summary>
/// Which samples each worker trains on, step by step. Each epoch shuffles the training set by
/// (seed, epoch) alone; step k takes the next <c>batch-size x workers</c> samples of that order
/// (the global batch) and worker i takes positions i, i + N, i + 2N, ... of it. So the workers'
/// shards are disjoint, every worker runs the same number of steps (a worker may get fewer
/// samples, or none, in the last step), and N workers with batch b see exactly the samples, in
/// the same steps, that one worker with batch N x b sees.
/// </summary>
public sealed class ShardPlan
{
    private readonly int _trainCount;
    private readonly int _batchSize;
    private readonly int _workers;
    private readonly long _seed;
    private readonly bool _shuffle;

    public ShardPlan(int trainCount, int batchSize, int workers, long seed, bool shuffle = true)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be 1 or more");
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "must be 1 or more");
        if (workers > trainCount) throw new ArgumentOutOfRangeException(nameof(workers), workers, $"must not exceed the {trainCount} training samples");
        (_trainCount, _batchSize, _workers, _seed, _shuffle) = (trainCount, batchSize, workers, seed, shuffle);
    }

    public int GlobalBatch => _batchSize * _workers;

    public int StepsPerEpoch => (_trainCount + GlobalBatch - 1) / GlobalBatch;

    /// <summary>The epoch's order of all training samples.</summary>
    public int[] EpochOrder(int epoch) =>
        _shuffle ? SeededOrder.Permutation(_trainCount, _seed, stream: epoch) : Enumerable.Range(0, _trainCount).ToArray();

    /// <summary>The samples worker <paramref name="worker"/> trains on at <paramref name="step"/>, from an epoch order.</summary>
    public int[] Batch(int[] epochOrder, int step, int worker)
    {
        var start = step * GlobalBatch;
        var end = Math.Min(start + GlobalBatch, epochOrder.Length);
        var batch = new List<int>(_batchSize);
        for (var p = start + worker; p < end; p += _workers) batch.Add(epochOrder[p]);
        return batch.ToArray();
    }

    /// <summary>Worker i's share of a set for evaluation: positions i, i + N, ...</summary>
    public static int[] Slice(int count, int worker, int workers)
    {
        var slice = new List<int>((count + workers - 1) / workers);
        for (var p = worker; p < count; p += workers) slice.Add(p);
        return slice.ToArray();
    }
}
