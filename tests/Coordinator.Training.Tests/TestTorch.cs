using System.Runtime.CompilerServices;
using Coordinator.Core.Data;
using Coordinator.Core.Model;

namespace Coordinator.Training.Tests;

/// <summary>Shared setup: the whole test process runs torch with one intra-op thread (fixed before any test
/// creates a tensor, so every factory can ask for it), and seeded synthetic data.</summary>
internal static class TestTorch
{
    public const int Threads = 1;

#pragma warning disable CA2255 // a module initializer in a test assembly: fixes the process-wide thread count first
    [ModuleInitializer]
    internal static void FixThreadCount() => TorchRuntime.SetNumThreads(Threads);
#pragma warning restore CA2255

    /// <summary>Gaussian blobs, one centre per class (random in [-1, 1]^features), sd <paramref name="spread"/>,
    /// split 80/20.</summary>
    public static DataSplit Blobs(int count, int features, int classes, int seed, double spread = 0.8)
    {
        var random = new Random(seed);
        var centres = new double[classes, features];
        for (int c = 0; c < classes; c++)
        {
            for (int f = 0; f < features; f++)
            {
                centres[c, f] = (2 * random.NextDouble()) - 1;
            }
        }

        var values = new float[count * features];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % classes;
            for (int f = 0; f < features; f++)
            {
                values[(i * features) + f] = (float)(centres[labels[i], f] + (spread * Gaussian(random)));
            }
        }

        return DataSplitter.Split(new Dataset("blobs", values, labels, features, classes), 0.2, seed);
    }

    public static TorchReplicaFactory Factory(
        DataSplit data,
        OptimizerSettings optimizer,
        IReadOnlyList<int>? hidden = null,
        double dropout = 0,
        long seed = 7,
        Activation activation = Activation.Relu) =>
        new(data, new ModelSettings(hidden ?? [16, 8], activation, dropout), optimizer, seed, Threads);

    public static float[] Parameters(TorchReplica replica)
    {
        var values = new float[replica.ParameterCount];
        replica.ReadParameters(values);
        return values;
    }

    public static float[] Gradients(TorchReplica replica)
    {
        var values = new float[replica.ParameterCount];
        replica.ReadGradients(values);
        return values;
    }

    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }

    public static double MaxAbs(ReadOnlySpan<float> a)
    {
        double max = 0;
        foreach (float v in a)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    /// <summary>Runs <paramref name="body"/> on a new thread (replicas live on one thread each) and rethrows its exception.</summary>
    public static T OnThread<T>(Func<T> body)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            throw new AggregateException(error);
        }

        return result;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
