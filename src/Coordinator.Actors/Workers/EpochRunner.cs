using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Coordinator.Actors.Protocol;
using Coordinator.Core.Data;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;

namespace Coordinator.Actors.Workers;

/// <summary>
/// One worker's epoch, on its training thread: each step trains on the worker's share of the
/// global batch, then synchronises. With gradient sync every step allreduces [b x gradient, b,
/// stop]: the sum divided by the total batch is the big-batch gradient, and every replica applies
/// the same one. With parameter sync (local SGD) the workers step alone and average parameters
/// every <c>sync-every</c> steps and at the epoch end. The stop flag rides along in every
/// synchronisation, so all workers stop after the same step.
/// </summary>
internal sealed class EpochRunner(IReplica replica, WorkerSetup setup, IAllreduce allreduce)
{
    private readonly ShardPlan _plan = setup.Plan();
    private readonly int[] _validation = ShardPlan.Slice(setup.ValidationCount, setup.Worker, setup.Workers);
    private readonly int[] _train = ShardPlan.Slice(setup.TrainCount, setup.Worker, setup.Workers);

    /// <summary>Bytes this worker has sent to its ring successor so far (set by the actor after each exchange).</summary>
    public long BytesSent { get; set; }

    public int Steps => _plan.StepsPerEpoch;

    public WorkerReports.EpochTrained Run(int epoch, double learningRate, Func<bool> stopRequested, Action<WorkerReports.BatchTrained> onBatch)
    {
        var order = _plan.EpochOrder(epoch);
        var bytesBefore = BytesSent;
        double lossSum = 0;
        int correct = 0, count = 0, steps = 0;
        var synced = true;
        for (var step = 0; step < _plan.StepsPerEpoch; step++)
        {
            var batch = _plan.Batch(order, step, setup.Worker);
            var result = replica.ComputeGradients(batch);
            onBatch(new WorkerReports.BatchTrained(setup.Worker, epoch, step, result.LossSum, result.Count));
            (lossSum, correct, count, steps) = (lossSum + result.LossSum, correct + result.Correct, count + result.Count, steps + 1);

            bool stop;
            if (setup.Sync == SyncMode.Gradients)
                stop = AverageGradients(Round(epoch, step), result.Count, learningRate, stopRequested());
            else
            {
                replica.Step(learningRate);
                synced = (step + 1) % setup.SyncEvery == 0;
                stop = synced && AverageParameters(Round(epoch, step), stopRequested());
            }
            if (stop) break;
        }
        if (!synced) AverageParameters(Round(epoch, _plan.StepsPerEpoch), stop: false);

        var validation = replica.Evaluate(_validation, validation: true);
        return new WorkerReports.EpochTrained(setup.Worker, epoch, steps, lossSum, correct, count,
            validation.LossSum, validation.Correct, validation.Count, BytesSent - bytesBefore, ParameterHash());
    }

    public WorkerReports.Evaluated Evaluate(long requestId)
    {
        var train = replica.Evaluate(_train, validation: false);
        var validation = replica.Evaluate(_validation, validation: true);
        return new WorkerReports.Evaluated(requestId, setup.Worker, train.LossSum, train.Correct, train.Count,
            validation.LossSum, validation.Correct, validation.Count);
    }

    // Rounds are numbered by (epoch, step) so that every worker uses the same number for the same exchange.
    private static long Round(int epoch, int step) => epoch * 1_000_000L + step;

    private bool AverageGradients(long round, int batch, double learningRate, bool stop)
    {
        var n = replica.ParameterCount;
        var vector = new float[n + 2];
        replica.ReadGradients(vector.AsSpan(0, n));
        if (batch != 1)
            for (var i = 0; i < n; i++) vector[i] *= batch;
        vector[n] = batch;
        vector[n + 1] = stop ? 1 : 0;
        var sum = allreduce.Sum(round, vector);
        var total = sum[n];
        for (var i = 0; i < n; i++) sum[i] /= total;
        replica.ApplyGradients(sum.AsSpan(0, n), learningRate);
        return sum[n + 1] > 0;
    }

    private bool AverageParameters(long round, bool stop)
    {
        var n = replica.ParameterCount;
        var vector = new float[n + 1];
        replica.ReadParameters(vector.AsSpan(0, n));
        vector[n] = stop ? 1 : 0;
        var sum = allreduce.Sum(round, vector);
        for (var i = 0; i < n; i++) sum[i] /= setup.Workers;
        replica.WriteParameters(sum.AsSpan(0, n));
        return sum[n] > 0;
    }

    public string ParameterHash()
    {
        var parameters = new float[replica.ParameterCount];
        replica.ReadParameters(parameters);
        return Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(parameters.AsSpan())))[..16];
    }
}
