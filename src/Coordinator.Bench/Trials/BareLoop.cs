using System.Diagnostics;
using System.Runtime.InteropServices;
using Coordinator.Core.Data;
using Coordinator.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Coordinator.Cli.Bench.Trials;

/// <summary>
/// The baseline: the training loop one would write with TorchSharp alone, on the coordinator's own
/// model (<see cref="Mlp"/>, seeded as worker 0's replica), optimizer (TorchSharp's SGD), data
/// (the same seeded split, as tensors) and batches (the <see cref="ShardPlan"/> of one worker),
/// with <see cref="TorchReplica"/>'s dispose discipline (a dispose scope per step) and its
/// per-step metrics (loss and correct predictions), and a validation pass per epoch in chunks of
/// <see cref="TorchReplica.EvaluationChunk"/>. No actors, no synchronisation, no files.
/// </summary>
public static class BareLoop
{
    public static TrialResult Run(TrialSpec spec)
    {
        TorchRuntime.SetNumThreads(spec.Threads);
        var data = TabularCsvLoader.Load(spec.DataPath, Workload.Format);
        var split = DataSplitter.Split(data, Workload.ValidationSplit, spec.Seed);
        var plan = new ShardPlan(split.Train.Count, spec.BatchSize, 1, spec.Seed, shuffle: true);

        TorchRuntime.EnsureInitialized();
        using var model = new Mlp(split.Train.FeatureCount, spec.Hidden, MlpActivation.Relu, spec.Dropout, split.Train.ClassCount,
            spec.Seed);
        using var optimizer = optim.SGD(model.parameters(), spec.LearningRate, momentum: spec.Momentum);
        using var trainX = Features(split.Train);
        using var trainY = Labels(split.Train);
        using var validX = Features(split.Validation);
        using var validY = Labels(split.Validation);

        var seconds = new List<double>();
        var cpu = new List<double>();
        var accuracy = new List<double>();
        for (var epoch = 0; epoch < spec.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var cpuAtStart = EpochClock.ProcessCpuSeconds;
            model.train();
            var order = plan.EpochOrder(epoch);
            double lossSum = 0;
            long correct = 0;
            for (var step = 0; step < plan.StepsPerEpoch; step++)
            {
                using var scope = NewDisposeScope();
                var batch = plan.Batch(order, step, 0);
                model.Masks?.Use(epoch, batch);
                var index = Index(batch);
                var y = trainY.index_select(0, index);
                optimizer.zero_grad();
                var logits = model.forward(trainX.index_select(0, index));
                var loss = nn.functional.cross_entropy(logits, y);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * index.shape[0];
                using (no_grad()) correct += logits.argmax(1).eq(y).sum().item<long>();
            }
            accuracy.Add(Validate(model, validX, validY));
            seconds.Add(clock.Elapsed.TotalSeconds);
            cpu.Add(EpochClock.ProcessCpuSeconds - cpuAtStart);
            GC.KeepAlive(lossSum + correct); // the metrics are computed as a training loop computes them
        }
        var parameters = model.parameters().Sum(p => p.numel());
        return new TrialResult(spec.Name, seconds, split.Train.Count, plan.StepsPerEpoch, accuracy, [], parameters, cpu);
    }

    private static double Validate(Mlp model, Tensor x, Tensor y)
    {
        model.eval();
        using var noGrad = no_grad();
        long correct = 0;
        var count = (int)y.shape[0];
        for (var start = 0; start < count; start += TorchReplica.EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(TorchReplica.EvaluationChunk, count - start);
            var logits = model.forward(x.narrow(0, start, length));
            var labels = y.narrow(0, start, length);
            _ = nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        }
        return (double)correct / count;
    }

    private static Tensor Index(int[] batch)
    {
        var index = empty([batch.Length], ScalarType.Int32);
        MemoryMarshal.AsBytes(batch.AsSpan()).CopyTo(index.bytes);
        return index;
    }

    private static Tensor Features(Dataset set)
    {
        var t = empty([set.Count, set.FeatureCount], ScalarType.Float32);
        MemoryMarshal.AsBytes(set.Features.AsSpan(0, set.Count * set.FeatureCount)).CopyTo(t.bytes);
        return t;
    }

    private static Tensor Labels(Dataset set)
    {
        var t = empty([set.Count], ScalarType.Int64);
        var span = MemoryMarshal.Cast<byte, long>(t.bytes);
        for (var i = 0; i < set.Count; i++) span[i] = set.Labels[i];
        return t;
    }
}
