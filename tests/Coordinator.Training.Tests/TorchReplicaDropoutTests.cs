using Coordinator.Core.Data;
using Coordinator.Core.Model;
using TorchSharp;
using static Coordinator.Training.Tests.TestTorch;

namespace Coordinator.Training.Tests;

public sealed class TorchReplicaDropoutTests
{
    private static readonly DataSplit Data = Blobs(200, features: 6, classes: 3, seed: 41);
    private static readonly int[][] Batches = [.. Enumerable.Range(0, 6).Select(step => Enumerable.Range(step * 20, 20).ToArray())];

    [Fact]
    public void Replicas_with_the_same_seed_and_worker_draw_the_same_dropout_masks_whatever_other_threads_do()
    {
        TorchReplicaFactory factory = Factory(Data, new OptimizerSettings(Momentum: 0.9), hidden: [32, 16], dropout: 0.5, seed: 3);
        float[][]? firstRun = null;
        float[][]? secondRun = null;
        using var stop = new CancellationTokenSource();
        long globalDraws = 0;
        var noise = new Thread(() =>
        {
            // Draws from torch's global generator (what nn.Dropout would use) and reseeds it, all the while.
            while (!stop.IsCancellationRequested)
            {
                using var scope = torch.NewDisposeScope();
                torch.rand(64, 32).sum().item<float>();
                torch.nn.functional.dropout(torch.ones(16, 16), 0.5, training: true).sum().item<float>();
                if (Interlocked.Increment(ref globalDraws) % 50 == 0)
                {
                    TorchRuntime.ManualSeed(globalDraws);
                }
            }
        });
        noise.Start();
        try
        {
            var first = new Thread(() => firstRun = Run(factory, worker: 2));
            var second = new Thread(() => secondRun = Run(factory, worker: 2));
            first.Start();
            second.Start();
            first.Join();
            second.Join();
        }
        finally
        {
            stop.Cancel();
            noise.Join();
        }

        Assert.True(Interlocked.Read(ref globalDraws) > 0, "the noise thread should have drawn from the global generator");
        Assert.NotNull(firstRun);
        Assert.NotNull(secondRun);
        for (int step = 0; step < Batches.Length; step++)
        {
            Assert.Equal(firstRun[step], secondRun[step]); // bitwise, step by step
        }

        // Dropout really is on: another worker (another dropout stream) and the same model without dropout differ.
        float[][] otherWorker = OnThread(() => Run(factory, worker: 1));
        float[][] noDropout = OnThread(() => Run(Factory(Data, new OptimizerSettings(Momentum: 0.9), hidden: [32, 16], dropout: 0, seed: 3), worker: 2));
        Assert.True(MaxAbsDifference(firstRun[0], otherWorker[0]) > 1e-4);
        Assert.True(MaxAbsDifference(firstRun[0], noDropout[0]) > 1e-4);
    }

    [Fact]
    public void Evaluation_runs_without_dropout()
    {
        using TorchReplica withDropout = Factory(Data, new OptimizerSettings(), dropout: 0.5, seed: 8).CreateReplica(0);
        using TorchReplica without = Factory(Data, new OptimizerSettings(), dropout: 0, seed: 8).CreateReplica(0);
        int[] rows = Enumerable.Range(0, Data.Validation.Count).ToArray();

        BatchResultPair first = new(withDropout.Evaluate(rows, validation: true), without.Evaluate(rows, validation: true));
        withDropout.ComputeGradients(Batches[0]); // back and forth between training and eval mode
        BatchResultPair second = new(withDropout.Evaluate(rows, validation: true), without.Evaluate(rows, validation: true));

        Assert.Equal(first.Dropout, first.Plain);
        Assert.Equal(first, second);

        // ...and training mode does apply it: the same batch gives another loss than in eval mode.
        Assert.NotEqual(withDropout.Evaluate(Batches[1], validation: false).LossSum, withDropout.ComputeGradients(Batches[1]).LossSum);
    }

    [Fact]
    public void An_mlp_built_without_a_dropout_seed_still_draws_its_masks_from_its_own_generator()
    {
        using var first = new Mlp(4, [64], MlpActivation.Relu, 0.5, outputClasses: 2, seed: 9);
        using var second = new Mlp(4, [64], MlpActivation.Relu, 0.5, outputClasses: 2, seed: 9);
        using var otherStream = new Mlp(4, [64], MlpActivation.Relu, 0.5, outputClasses: 2, seed: 9, dropoutSeed: 10);
        using var scope = torch.NewDisposeScope();
        torch.Tensor input = torch.ones(8, 4);

        float[] a = first.forward(input).data<float>().ToArray();
        TorchRuntime.ManualSeed(1); // the global generator plays no part
        float[] b = second.forward(input).data<float>().ToArray();
        float[] c = otherStream.forward(input).data<float>().ToArray();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        first.eval();
        otherStream.eval();
        Assert.Equal(first.forward(input).data<float>().ToArray(), otherStream.forward(input).data<float>().ToArray());
    }

    // Created, trained and disposed on the calling thread: the gradient of every step.
    private static float[][] Run(TorchReplicaFactory factory, int worker)
    {
        using TorchReplica replica = factory.CreateReplica(worker);
        var gradients = new float[Batches.Length][];
        for (int step = 0; step < Batches.Length; step++)
        {
            replica.ComputeGradients(Batches[step]);
            gradients[step] = Gradients(replica);
            replica.Step(0.05);
        }

        return gradients;
    }

    private readonly record struct BatchResultPair(Coordinator.Core.Replicas.BatchResult Dropout, Coordinator.Core.Replicas.BatchResult Plain);
}
