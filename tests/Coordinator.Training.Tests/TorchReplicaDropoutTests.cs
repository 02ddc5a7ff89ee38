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
    public void Replicas_with_the_same_seed_draw_the_same_dropout_masks_whatever_other_threads_do()
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
            var second = new Thread(() => secondRun = Run(factory, worker: 0)); // the worker plays no part
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

        // Dropout really is on: another epoch (other masks) and the same model without dropout differ.
        float[][] otherEpoch = OnThread(() => Run(factory, worker: 2, epoch: 1));
        float[][] noDropout = OnThread(() => Run(Factory(Data, new OptimizerSettings(Momentum: 0.9), hidden: [32, 16], dropout: 0, seed: 3), worker: 2));
        Assert.True(MaxAbsDifference(firstRun[0], otherEpoch[0]) > 1e-4);
        Assert.True(MaxAbsDifference(firstRun[0], noDropout[0]) > 1e-4);
    }

    [Fact]
    public void A_batch_split_between_workers_gets_the_masks_it_gets_whole()
    {
        // The masks follow the samples, so two workers with 12 and 8 of a batch's samples (in another
        // order) have, weighted, the gradient of one worker with all 20: with dropout as without.
        TorchReplicaFactory factory = Factory(Data, new OptimizerSettings(), hidden: [32, 16], dropout: 0.5, seed: 5);
        int[] batch = Batches[3];
        int[] first = [.. batch.Where((_, i) => i % 5 < 3).Reverse()];
        int[] second = [.. batch.Where((_, i) => i % 5 >= 3)];
        float[] whole = OnThread(() => Gradient(factory, 0, 4, batch));
        float[] a = OnThread(() => Gradient(factory, 1, 4, first));
        float[] b = OnThread(() => Gradient(factory, 2, 4, second));
        float[] weighted = [.. a.Zip(b, (x, y) => (x * first.Length + y * second.Length) / batch.Length)];
        Assert.True(MaxAbsDifference(whole, weighted) < 1e-6, $"largest difference {MaxAbsDifference(whole, weighted)}");
        Assert.True(MaxAbsDifference(whole, OnThread(() => Gradient(factory, 0, 5, batch))) > 1e-4, "another epoch draws other masks");
    }

    private static float[] Gradient(TorchReplicaFactory factory, int worker, int epoch, int[] samples)
    {
        using TorchReplica replica = factory.CreateReplica(worker);
        replica.BeginEpoch(epoch);
        replica.ComputeGradients(samples);
        return Gradients(replica);
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
        Assert.NotEqual(withDropout.Evaluate(Batches[1], validation: false).Sum("loss"), withDropout.ComputeGradients(Batches[1]).Sum("loss"));
    }

    [Fact]
    public void An_mlp_built_without_a_dropout_seed_draws_its_masks_from_its_seed_and_the_samples()
    {
        using var first = new Mlp(4, [64], MlpActivation.Relu, 0.5, outputClasses: 2, seed: 9);
        using var second = new Mlp(4, [64], MlpActivation.Relu, 0.5, outputClasses: 2, seed: 9);
        using var otherStream = new Mlp(4, [64], MlpActivation.Relu, 0.5, outputClasses: 2, seed: 9, dropoutSeed: 10);
        using var scope = torch.NewDisposeScope();
        torch.Tensor input = torch.ones(8, 4);
        int[] samples = [.. Enumerable.Range(100, 8)];
        Assert.Contains("call Use(epoch, samples)", Assert.Throws<InvalidOperationException>(() => first.forward(input)).Message);
        foreach (Mlp model in new[] { first, second, otherStream })
        {
            model.Masks!.Use(0, samples);
        }

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
    private static float[][] Run(TorchReplicaFactory factory, int worker, int epoch = 0)
    {
        using TorchReplica replica = factory.CreateReplica(worker);
        replica.BeginEpoch(epoch);
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
