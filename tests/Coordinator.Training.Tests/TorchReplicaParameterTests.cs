using Coordinator.Core.Data;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;
using TorchSharp;
using static Coordinator.Training.Tests.TestTorch;

namespace Coordinator.Training.Tests;

public sealed class TorchReplicaParameterTests
{
    private static readonly DataSplit Data = Blobs(120, features: 6, classes: 3, seed: 4);

    [Fact]
    public void The_flat_vector_lists_module_parameters_in_order()
    {
        using TorchReplica replica = Factory(Data, new OptimizerSettings(), hidden: [10, 7]).CreateReplica(0);
        float[] flat = Parameters(replica);

        Assert.Equal((6 * 10) + 10 + (10 * 7) + 7 + (7 * 3) + 3, replica.ParameterCount);
        float[] expected = replica.Model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        Assert.Equal(expected, flat);
    }

    [Fact]
    public void Written_parameters_read_back_and_drive_the_model()
    {
        using TorchReplica replica = Factory(Data, new OptimizerSettings()).CreateReplica(0);
        int[] rows = Enumerable.Range(0, Data.Validation.Count).ToArray();
        BatchResult before = replica.Evaluate(rows, validation: true);
        var random = new Random(3);
        float[] written = Enumerable.Range(0, replica.ParameterCount).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

        replica.WriteParameters(written);

        Assert.Equal(written, Parameters(replica));
        Assert.Equal(written, replica.Model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
        Assert.NotEqual(before.Sum("loss"), replica.Evaluate(rows, validation: true).Sum("loss"));

        // Writing the originals back restores the same evaluation exactly.
        using TorchReplica twin = Factory(Data, new OptimizerSettings()).CreateReplica(1);
        replica.WriteParameters(Parameters(twin));
        Assert.Equal(before, replica.Evaluate(rows, validation: true));
    }

    [Fact]
    public void Replicas_from_the_same_seed_start_identical_and_other_seeds_differ()
    {
        TorchReplicaFactory factory = Factory(Data, new OptimizerSettings(), dropout: 0.3, seed: 12);
        using TorchReplica first = factory.CreateReplica(0);
        using TorchReplica third = factory.CreateReplica(2);
        float[] onAnotherThread = OnThread(() =>
        {
            using TorchReplica second = factory.CreateReplica(1);
            return Parameters(second);
        });
        using TorchReplica otherSeed = Factory(Data, new OptimizerSettings(), dropout: 0.3, seed: 13).CreateReplica(0);

        Assert.Equal(Parameters(first), onAnotherThread);
        Assert.Equal(Parameters(first), Parameters(third));
        Assert.True(MaxAbsDifference(Parameters(first), Parameters(otherSeed)) > 1e-3);
    }

    [Fact]
    public void Saved_weights_load_into_a_fresh_replica_and_into_a_plain_mlp()
    {
        var optimizer = new OptimizerSettings(Momentum: 0.9);
        using TorchReplica trained = Factory(Data, optimizer, hidden: [12]).CreateReplica(0);
        for (int step = 0; step < 5; step++)
        {
            trained.ComputeGradients(Enumerable.Range(step * 10, 10).ToArray());
            trained.Step(0.2);
        }

        using var file = new MemoryStream();
        trained.SaveWeights(file);
        Assert.True(file.CanRead, "SaveWeights must leave the stream open");

        // A fresh replica from another seed: different weights until it loads the file.
        using TorchReplica fresh = Factory(Data, optimizer, hidden: [12], seed: 99).CreateReplica(0);
        Assert.NotEqual(Parameters(trained), Parameters(fresh));
        file.Position = 0;
        fresh.LoadWeights(file);
        Assert.Equal(file.Length, file.Position);
        Assert.Equal(Parameters(trained), Parameters(fresh));
        int[] rows = Enumerable.Range(0, Data.Validation.Count).ToArray();
        Assert.Equal(trained.Evaluate(rows, validation: true), fresh.Evaluate(rows, validation: true));

        // TorchSharp's own Module.load reads the file into an Mlp of the same shape.
        using var mlp = new Mlp(6, [12], MlpActivation.Relu, 0.0, outputClasses: 3, seed: 1234);
        file.Position = 0;
        mlp.load(file);
        float[] loaded = mlp.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        Assert.Equal(Parameters(trained), loaded);
    }

    [Fact]
    public void Loading_weights_of_another_shape_fails()
    {
        using TorchReplica small = Factory(Data, new OptimizerSettings(), hidden: [4]).CreateReplica(0);
        using TorchReplica large = Factory(Data, new OptimizerSettings(), hidden: [5]).CreateReplica(0);
        using var file = new MemoryStream();
        small.SaveWeights(file);
        file.Position = 0;

        Assert.ThrowsAny<ArgumentException>(() => large.LoadWeights(file));
    }

    [Fact]
    public void A_disposed_replica_refuses_calls()
    {
        TorchReplica replica = Factory(Data, new OptimizerSettings()).CreateReplica(0);
        replica.Dispose();
        replica.Dispose(); // idempotent

        Assert.Throws<ObjectDisposedException>(() => replica.ComputeGradients([0]));
        Assert.Throws<ObjectDisposedException>(() => replica.ReadParameters(new float[replica.ParameterCount]));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    public void Calls_leave_no_tensor_behind(OptimizerKind kind)
    {
        // On a thread of its own: TorchSharp counts live tensor handles per thread.
        long leaked = OnThread(() =>
        {
            using TorchReplica replica = Factory(Data, new OptimizerSettings(kind, Momentum: 0.9), dropout: 0.2).CreateReplica(0);
            var flat = new float[replica.ParameterCount];
            void Round()
            {
                replica.ComputeGradients([1, 2, 3, 5, 8, 13]);
                replica.ReadGradients(flat);
                replica.ApplyGradients(flat, 0.01);
                replica.Step(0.01);
                replica.ReadParameters(flat);
                replica.WriteParameters(flat);
                replica.Evaluate([0, 1, 2], validation: true);
                replica.Evaluate([], validation: false);
                using var file = new MemoryStream();
                replica.SaveTrainingState(file);
                file.Position = 0;
                replica.LoadTrainingState(file);
                file.Position = 0;
                replica.SaveWeights(file);
                file.Position = 0;
                replica.LoadWeights(file);
            }

            Round(); // creates the optimizer state
            long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (int i = 0; i < 5; i++)
            {
                Round();
            }

            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        });

        Assert.Equal(0, leaked);
    }
}
