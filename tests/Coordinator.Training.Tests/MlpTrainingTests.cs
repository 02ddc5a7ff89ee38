using TorchSharp;
using static TorchSharp.torch;

namespace Coordinator.Training.Tests;

public sealed class MlpTrainingTests
{
    private const int Samples = 128;
    private const int Steps = 50;

    [Fact]
    public void Sgd_on_separable_two_class_data_cuts_the_loss_by_more_than_half()
    {
        TorchRuntime.EnsureInitialized();
        (float[] features, long[] labels) = TwoBlobs(Samples, seed: 1234);
        using Tensor x = tensor(features, [Samples, 2]);
        using Tensor y = tensor(labels);
        using var model = new Mlp(2, [16, 16], MlpActivation.Tanh, dropout: 0.0, outputClasses: 2, seed: 7);
        using var optimizer = optim.SGD(model.parameters(), learningRate: 0.1);

        float initialLoss = Loss(model, x, y);
        for (int step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
        }

        float finalLoss = Loss(model, x, y);
        Assert.True(float.IsFinite(initialLoss) && initialLoss > 0.3f, $"initial loss {initialLoss}");
        Assert.True(finalLoss < 0.5f * initialLoss, $"loss fell only from {initialLoss} to {finalLoss}");
        Assert.True(Accuracy(model, x, y) >= 0.95, "the trained model should separate the blobs");
    }

    private static float Loss(Mlp model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return nn.functional.cross_entropy(model.forward(x), y).item<float>();
    }

    private static double Accuracy(Mlp model, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.forward(x).argmax(1).eq(y).to_type(ScalarType.Float64).mean().item<double>();
    }

    // Two Gaussian blobs (sd 0.5) centred at (-1.5, -1.5) and (1.5, 1.5): linearly separable in practice.
    private static (float[] Features, long[] Labels) TwoBlobs(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count * 2];
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            long label = i % 2;
            float centre = label == 0 ? -1.5f : 1.5f;
            features[2 * i] = centre + (0.5f * Gaussian(random));
            features[(2 * i) + 1] = centre + (0.5f * Gaussian(random));
            labels[i] = label;
        }

        return (features, labels);
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble()));
}
