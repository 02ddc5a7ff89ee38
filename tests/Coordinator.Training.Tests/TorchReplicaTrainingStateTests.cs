using Coordinator.Core.Data;
using Coordinator.Core.Model;
using static Coordinator.Training.Tests.TestTorch;

namespace Coordinator.Training.Tests;

public sealed class TorchReplicaTrainingStateTests
{
    private static readonly DataSplit Data = Blobs(200, features: 5, classes: 3, seed: 31);

    public static TheoryData<string, double> Optimizers => new()
    {
        { "sgd-momentum", 0.0 },
        { "sgd-momentum", 0.3 },
        { "sgd-nesterov", 0.0 },
        { "adam", 0.0 },
        { "adam", 0.3 },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_run_resumed_from_a_saved_training_state_continues_exactly(string optimizer, double dropout)
    {
        OptimizerSettings settings = Settings(optimizer);
        using TorchReplica original = Factory(Data, settings, dropout: dropout, seed: 5).CreateReplica(0);
        Train(original, steps: 2, firstStep: 0);
        using var file = new MemoryStream();
        original.SaveTrainingState(file);
        Assert.True(file.CanRead, "SaveTrainingState must leave the stream open");
        Train(original, steps: 3, firstStep: 2);

        // Another worker, and a fresh replica: the weights and optimizer state must come from the file (the
        // dropout masks follow the run's seed, the epoch and the samples, so a resume draws them again).
        using TorchReplica resumed = Factory(Data, settings, dropout: dropout, seed: 5).CreateReplica(3);
        file.Position = 0;
        resumed.LoadTrainingState(file);
        Assert.Equal(file.Length, file.Position);
        Train(resumed, steps: 3, firstStep: 2);

        Assert.Equal(Parameters(original), Parameters(resumed)); // bitwise

        // The control: the same weights without the optimizer state continue differently.
        using TorchReplica weightsOnly = Factory(Data, settings, dropout: dropout, seed: 5).CreateReplica(0);
        using TorchReplica atSave = Factory(Data, settings, dropout: dropout, seed: 5).CreateReplica(0);
        Train(atSave, steps: 2, firstStep: 0);
        using var weights = new MemoryStream();
        atSave.SaveWeights(weights);
        weights.Position = 0;
        weightsOnly.LoadWeights(weights);
        Train(weightsOnly, steps: 3, firstStep: 2);
        Assert.True(
            MaxAbsDifference(Parameters(original), Parameters(weightsOnly)) > 1e-4,
            "without the optimizer state the continuation should differ (else this test proves nothing)");
    }

    [Fact]
    public void A_training_state_for_another_optimizer_or_shape_is_refused()
    {
        using TorchReplica sgd = Factory(Data, Settings("sgd-momentum")).CreateReplica(0);
        using var file = new MemoryStream();
        sgd.SaveTrainingState(file);

        using TorchReplica adam = Factory(Data, Settings("adam")).CreateReplica(0);
        file.Position = 0;
        Assert.Throws<InvalidDataException>(() => adam.LoadTrainingState(file));

        using TorchReplica wider = Factory(Data, Settings("sgd-momentum"), hidden: [17, 8]).CreateReplica(0);
        file.Position = 0;
        Assert.Throws<InvalidDataException>(() => wider.LoadTrainingState(file));

        using var weights = new MemoryStream();
        sgd.SaveWeights(weights);
        weights.Position = 0;
        Assert.Throws<InvalidDataException>(() => sgd.LoadTrainingState(weights));
    }

    private static OptimizerSettings Settings(string name) => name switch
    {
        "sgd-momentum" => new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 0.1, Momentum: 0.9, WeightDecay: 1e-3),
        "sgd-nesterov" => new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 0.1, Momentum: 0.8, Nesterov: true),
        "adam" => new OptimizerSettings(OptimizerKind.Adam, LearningRate: 0.01, WeightDecay: 1e-3),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static void Train(TorchReplica replica, int steps, int firstStep)
    {
        var plan = new ShardPlan(Data.Train.Count, globalBatch: 16, workers: 1, seed: 9);
        int[] order = plan.EpochOrder(1);
        replica.BeginEpoch(1);
        for (int step = firstStep; step < firstStep + steps; step++)
        {
            replica.ComputeGradients(plan.Batch(order, step, worker: 0));
            replica.Step(step % 2 == 0 ? 0.1 : 0.05);
        }
    }
}
