using Coordinator.Core.Data;
using Coordinator.Core.Model;
using Coordinator.Core.Replicas;
using static Coordinator.Training.Tests.TestTorch;

namespace Coordinator.Training.Tests;

public sealed class TorchReplicaGradientTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_replicas_averaging_weighted_gradients_follow_one_replica_on_the_union_of_their_batches(bool nesterov)
    {
        DataSplit data = Blobs(300, features: 6, classes: 3, seed: 11);
        var optimizer = new OptimizerSettings(OptimizerKind.Sgd, LearningRate: 0.1, Momentum: 0.9, Nesterov: nesterov, WeightDecay: 1e-3);
        TorchReplicaFactory factory = Factory(data, optimizer, hidden: [16, 8]);
        using TorchReplica a = factory.CreateReplica(0);
        using TorchReplica b = factory.CreateReplica(1);
        using TorchReplica single = factory.CreateReplica(0);

        int[] order = SeededOrder.Permutation(data.Train.Count, seed: 3, stream: 1);
        int position = 0;
        double[] rates = [0.1, 0.05, 0.2, 0.1, 0.08, 0.1];
        for (int step = 0; step < rates.Length; step++)
        {
            // Uneven shards, so the weighting matters; the last step leaves worker B without samples.
            int sizeA = 5 + step;
            int sizeB = step == rates.Length - 1 ? 0 : 9 - step;
            int[] batchA = order[position..(position + sizeA)];
            int[] batchB = order[(position + sizeA)..(position + sizeA + sizeB)];
            int[] union = [.. batchA, .. batchB];
            position += sizeA + sizeB;

            BatchResult resultA = a.ComputeGradients(batchA);
            BatchResult resultB = b.ComputeGradients(batchB);
            BatchResult resultUnion = single.ComputeGradients(union);
            Assert.Equal((sizeA, sizeB, union.Length), (resultA.Count, resultB.Count, resultUnion.Count));
            Assert.Equal(resultUnion.Sum("accuracy"), resultA.Sum("accuracy") + resultB.Sum("accuracy"));
            Assert.Equal(resultUnion.Sum("loss"), resultA.Sum("loss") + resultB.Sum("loss"), 1e-4);

            float[] gradientA = Gradients(a);
            float[] gradientB = Gradients(b);
            float[] gradientUnion = Gradients(single);
            var averaged = new float[gradientA.Length];
            for (int i = 0; i < averaged.Length; i++)
            {
                averaged[i] = ((sizeA * gradientA[i]) + (sizeB * gradientB[i])) / (sizeA + sizeB);
            }

            Assert.True(MaxAbs(gradientUnion) > 1e-3, "the gradient should not be (nearly) zero");
            if (sizeB == 0)
            {
                Assert.Equal(0.0, MaxAbs(gradientB));
            }

            double gradientError = MaxAbsDifference(averaged, gradientUnion);
            Assert.True(gradientError <= 1e-6, $"step {step}: weighted average differs from the union's gradient by {gradientError}");

            a.ApplyGradients(averaged, rates[step]);
            b.ApplyGradients(averaged, rates[step]);
            single.Step(rates[step]);

            float[] parametersA = Parameters(a);
            Assert.Equal(parametersA, Parameters(b)); // bitwise
            double parameterError = MaxAbsDifference(parametersA, Parameters(single));
            Assert.True(parameterError <= 1e-6, $"step {step}: replicas and the single replica differ by {parameterError}");
        }

        using TorchReplica untrained = factory.CreateReplica(0);
        Assert.True(MaxAbsDifference(Parameters(a), Parameters(untrained)) > 1e-3, "training should have moved the parameters");
    }

    [Fact]
    public void Apply_gradients_then_read_gradients_returns_the_applied_vector()
    {
        TorchReplicaFactory factory = Factory(Blobs(60, 4, 2, seed: 5), new OptimizerSettings(Momentum: 0.5));
        using TorchReplica replica = factory.CreateReplica(0);
        var gradient = new float[replica.ParameterCount];
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] = (i % 7) - 3;
        }

        float[] before = Parameters(replica);
        replica.ApplyGradients(gradient, learningRate: 0.01);

        Assert.Equal(gradient, Gradients(replica));
        float[] after = Parameters(replica);
        for (int i = 0; i < after.Length; i++)
        {
            Assert.Equal(before[i] - (0.01f * gradient[i]), after[i], 1e-6f); // first momentum step: buffer = gradient
        }
    }

    [Fact]
    public void An_empty_batch_leaves_a_zero_gradient_and_a_zero_result()
    {
        DataSplit data = Blobs(60, 4, 2, seed: 5);
        using TorchReplica replica = Factory(data, new OptimizerSettings()).CreateReplica(0);

        BatchResult full = replica.ComputeGradients([0, 1, 2, 3]);
        Assert.True(MaxAbs(Gradients(replica)) > 0);
        Assert.Equal(4, full.Count);

        Assert.Equal((0, 0), (replica.ComputeGradients([]).Count, replica.ComputeGradients([]).Metrics.Count));
        Assert.Equal(0.0, MaxAbs(Gradients(replica)));
        float[] before = Parameters(replica);
        replica.Step(0.5);
        Assert.Equal(before, Parameters(replica)); // plain SGD on a zero gradient: no move
    }

    [Fact]
    public void Batch_results_count_loss_and_correct_predictions_and_match_evaluation_without_dropout()
    {
        DataSplit data = Blobs(200, 5, 4, seed: 21);
        using TorchReplica replica = Factory(data, new OptimizerSettings()).CreateReplica(0);
        int[] batch = [3, 1, 4, 15, 9, 26, 5, 35];

        BatchResult trained = replica.ComputeGradients(batch);
        BatchResult evaluated = replica.Evaluate(batch, validation: false);

        Assert.Equal(batch.Length, trained.Count);
        Assert.Equal(evaluated.Sum("accuracy"), trained.Sum("accuracy"));
        Assert.Equal(evaluated.Sum("loss"), trained.Sum("loss"), 1e-4);
        Assert.InRange(trained.Sum("loss") / batch.Length, 0.5, 5); // about ln 4 for an untrained 4-class model
    }

    [Fact]
    public void Evaluation_in_chunks_adds_up_and_uses_the_requested_set()
    {
        DataSplit data = Blobs(3000, 5, 3, seed: 8); // 2400 training rows: three chunks of 1024
        using TorchReplica replica = Factory(data, new OptimizerSettings()).CreateReplica(0);
        int[] all = Enumerable.Range(0, data.Train.Count).ToArray();

        BatchResult whole = replica.Evaluate(all, validation: false);
        BatchResult first = replica.Evaluate(all[..1000], validation: false);
        BatchResult rest = replica.Evaluate(all[1000..], validation: false);

        Assert.Equal(data.Train.Count, whole.Count);
        Assert.Equal(whole.Sum("accuracy"), first.Sum("accuracy") + rest.Sum("accuracy"));
        Assert.Equal(whole.Sum("loss"), first.Sum("loss") + rest.Sum("loss"), 1e-3);

        int[] validation = Enumerable.Range(0, data.Validation.Count).ToArray();
        BatchResult onValidation = replica.Evaluate(validation, validation: true);
        BatchResult onTrainPrefix = replica.Evaluate(validation, validation: false);
        Assert.Equal(data.Validation.Count, onValidation.Count);
        Assert.NotEqual(onTrainPrefix.Sum("loss"), onValidation.Sum("loss"));
        Assert.Equal((0, 0), (replica.Evaluate([], validation: true).Count, replica.Evaluate([], validation: true).Metrics.Count));
    }

    [Fact]
    public void Vectors_of_the_wrong_length_and_bad_learning_rates_are_rejected()
    {
        using TorchReplica replica = Factory(Blobs(60, 4, 2, seed: 5), new OptimizerSettings()).CreateReplica(0);
        int n = replica.ParameterCount;

        Assert.Throws<ArgumentException>(() => replica.ReadParameters(new float[n - 1]));
        Assert.Throws<ArgumentException>(() => replica.WriteParameters(new float[n + 1]));
        Assert.Throws<ArgumentException>(() => replica.ReadGradients(new float[0]));
        Assert.Throws<ArgumentException>(() => replica.ApplyGradients(new float[n - 1], 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => replica.Step(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => replica.ApplyGradients(new float[n], -1));
    }
}
