namespace Coordinator.Core.Data;

/// <summary>
/// Which samples each worker trains on, step by step. Each epoch shuffles the training set by
/// (seed, epoch) alone; step k takes the next global batch of that order and member i of N takes
/// positions i, i + N, i + 2N, ... of it. So the members' shards are disjoint, every member runs
/// the same number of steps (a member may get fewer samples, or none, in the last step), and any
/// number of members see exactly the samples, in the same steps, that one worker with the whole
/// global batch sees. The global batch is fixed for the run (the configured batch-size x workers),
/// so a lost or joining member changes who trains which sample, never the optimisation.
/// </summary>
public sealed class ShardPlan
{
    private readonly int _trainCount;
    private readonly int _globalBatch;
    private readonly int _workers;
    private readonly long _seed;
    private readonly bool _shuffle;

    public ShardPlan(int trainCount, int globalBatch, int workers, long seed, bool shuffle = true)
    {
        if (globalBatch < 1) throw new ArgumentOutOfRangeException(nameof(globalBatch), globalBatch, "must be 1 or more");
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "must be 1 or more");
        if (workers > trainCount) throw new ArgumentOutOfRangeException(nameof(workers), workers, $"must not exceed the {trainCount} training samples");
        (_trainCount, _globalBatch, _workers, _seed, _shuffle) = (trainCount, globalBatch, workers, seed, shuffle);
    }

    /// <summary>The plan of <paramref name="workers"/> workers with <paramref name="batchSize"/> samples each per step.</summary>
    public static ShardPlan PerWorker(int trainCount, int batchSize, int workers, long seed, bool shuffle = true) =>
        new(trainCount, checked(batchSize * workers), workers, seed, shuffle);

    public int GlobalBatch => _globalBatch;

    public int StepsPerEpoch => (int)(((long)_trainCount + GlobalBatch - 1) / GlobalBatch); // long: a global batch may be near int.MaxValue

    /// <summary>The epoch's order of all training samples.</summary>
    public int[] EpochOrder(int epoch) =>
        _shuffle ? SeededOrder.Permutation(_trainCount, _seed, stream: epoch) : Enumerable.Range(0, _trainCount).ToArray();

    /// <summary>The samples worker <paramref name="worker"/> trains on at <paramref name="step"/>, from an epoch order.</summary>
    public int[] Batch(int[] epochOrder, int step, int worker)
    {
        var start = step * GlobalBatch;
        var end = (int)Math.Min((long)start + GlobalBatch, epochOrder.Length);
        // Sized by the samples this step really has: a global batch far above the training set
        // (batch-size = 1000000000) must not allocate for samples that do not exist.
        var batch = new List<int>(Math.Max(0, end - start - worker + _workers - 1) / _workers);
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
