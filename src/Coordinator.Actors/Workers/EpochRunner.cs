using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Coordinator.Actors.Protocol;
using Coordinator.Core.Data;
using Coordinator.Core.Metrics;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;

namespace Coordinator.Actors.Workers;

/// <summary>
/// One worker's epoch, on its training thread: each step trains on the worker's share of the
/// global batch, then synchronises. With gradient sync every step allreduces [b x gradient, b,
/// stop]: the sum divided by the total batch is the big-batch gradient, and every replica applies
/// the same one. With parameter sync (local SGD) the workers step alone and average parameters
/// every <c>sync-every</c> steps and at the epoch end. The stop flag rides along in every
/// synchronisation, so all workers stop after the same step. The worker's rank and the number of
/// workers come with each epoch, so the shards are re-split when membership changes.
/// </summary>
internal sealed class EpochRunner(IReplica replica, WorkerSetup setup, IAllreduce allreduce)
{
    private IReplica replica = replica;

    /// <summary>The replica trained; replaced (on the training thread) when the run starts over from the seed.</summary>
    public IReplica Replica
    {
        get => replica;
        set => replica = value;
    }

    /// <summary>Bytes this worker has sent to its ring successor so far (set by the actor after each exchange).</summary>
    public long BytesSent { get; set; }

    /// <summary>One attempt of one epoch, as member <paramref name="rank"/> of <paramref name="workers"/>.</summary>
    public sealed record Assignment(int Epoch, double LearningRate, int Rank, int Workers, long Version);

    public WorkerReports.EpochTrained Run(Assignment a, Func<bool> stopRequested, Func<bool> abandoned, Action<WorkerReports.BatchTrained> onBatch)
    {
        var plan = setup.Plan(a.Workers);
        var order = plan.EpochOrder(a.Epoch);
        replica.BeginEpoch(a.Epoch);
        var bytesBefore = BytesSent;
        var totals = new MetricTotals();
        var steps = 0;
        var synced = true;
        for (var step = 0; step < plan.StepsPerEpoch; step++)
        {
            if (abandoned()) throw new OperationCanceledException("the epoch was abandoned");
            setup.Faults.BeforeStep();
            var batch = plan.Batch(order, step, a.Rank);
            var result = replica.ComputeGradients(batch);
            onBatch(new WorkerReports.BatchTrained(a.Rank, a.Epoch, step, result.Sum("loss"), result.Count, a.Version));
            totals.Add(result.Metrics);
            steps++;

            bool stop;
            if (a.Workers == 1)
            {
                // Alone, the average is the replica's own gradient: step with it, no vector, no exchange.
                replica.Step(a.LearningRate);
                stop = stopRequested();
            }
            else if (setup.Sync == SyncMode.Gradients)
                stop = AverageGradients(Round(a.Version, step), result.Count, a.LearningRate, stopRequested());
            else
            {
                replica.Step(a.LearningRate);
                synced = (step + 1) % setup.SyncEvery == 0;
                stop = synced && AverageParameters(Round(a.Version, step), a.Workers, stopRequested());
            }
            if (stop) break;
        }
        if (!synced && a.Workers > 1) AverageParameters(Round(a.Version, plan.StepsPerEpoch), a.Workers, stop: false);

        var validation = replica.Evaluate(ShardPlan.Slice(setup.ValidationCount, a.Rank, a.Workers), validation: true);
        return new WorkerReports.EpochTrained(a.Rank, a.Epoch, steps, totals.Sums, validation.Metrics,
            BytesSent - bytesBefore, ParameterHash(), a.Version);
    }

    public WorkerReports.Evaluated Evaluate(long requestId, int rank, int workers)
    {
        var train = replica.Evaluate(ShardPlan.Slice(setup.TrainCount, rank, workers), validation: false);
        var validation = replica.Evaluate(ShardPlan.Slice(setup.ValidationCount, rank, workers), validation: true);
        return new WorkerReports.Evaluated(requestId, train.Metrics, validation.Metrics);
    }

    // Rounds are numbered by (attempt, step), so every member uses the same number for the same
    // exchange and chunks of an abandoned attempt are recognised as stale.
    public const long StepsPerAttempt = 1_000_000;

    private static long Round(long version, int step) => version * StepsPerAttempt + step;

    public static long AttemptOf(long round) => round / StepsPerAttempt;

    // One vector per runner, reused every step: a fresh one per step (megabytes for a large model)
    // landed on the large-object heap and cost gen-2 collections. The allreduce sums in place.
    private float[] _vector = [];

    private float[] Vector(int length) => _vector.Length == length ? _vector : _vector = new float[length];

    private bool AverageGradients(long round, int batch, double learningRate, bool stop)
    {
        var n = replica.ParameterCount;
        var vector = Vector(n + 2);
        var gradient = vector.AsSpan(0, n);
        replica.ReadGradients(gradient);
        if (batch != 1) TensorPrimitives.Multiply(gradient, batch, gradient);
        vector[n] = batch;
        vector[n + 1] = stop ? 1 : 0;
        var sum = allreduce.Sum(round, vector);
        var mean = sum.AsSpan(0, n);
        TensorPrimitives.Divide(mean, sum[n], mean); // element by element, as exact as a scalar loop
        replica.ApplyGradients(mean, learningRate);
        return sum[n + 1] > 0;
    }

    private bool AverageParameters(long round, int workers, bool stop)
    {
        var n = replica.ParameterCount;
        var vector = Vector(n + 1);
        replica.ReadParameters(vector.AsSpan(0, n));
        vector[n] = stop ? 1 : 0;
        var sum = allreduce.Sum(round, vector);
        var mean = sum.AsSpan(0, n);
        TensorPrimitives.Divide(mean, workers, mean);
        replica.WriteParameters(mean);
        return sum[n] > 0;
    }

    public string ParameterHash()
    {
        var parameters = new float[replica.ParameterCount];
        replica.ReadParameters(parameters);
        return Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(parameters.AsSpan())))[..16];
    }
}
