using TorchSharp;
using static TorchSharp.torch;

namespace Coordinator.Training.Tests;

public sealed class MlpSeedTests
{
    [Theory]
    [InlineData(MlpActivation.Relu, 0.0)]
    [InlineData(MlpActivation.Gelu, 0.2)]
    public void Models_built_with_the_same_seed_have_identical_parameters(MlpActivation activation, double dropout)
    {
        using var first = new Mlp(8, [32, 16], activation, dropout, outputClasses: 3, seed: 42);
        using var second = new Mlp(8, [32, 16], activation, dropout, outputClasses: 3, seed: 42);

        var firstParameters = first.named_parameters().ToList();
        var secondParameters = second.named_parameters().ToList();

        Assert.Equal(6, firstParameters.Count); // 3 Linear layers x (weight, bias)
        Assert.Equal(firstParameters.Select(p => p.name), secondParameters.Select(p => p.name));
        for (int i = 0; i < firstParameters.Count; i++)
        {
            Assert.Equal(firstParameters[i].parameter.shape, secondParameters[i].parameter.shape);
            Assert.True(
                firstParameters[i].parameter.Equals(secondParameters[i].parameter),
                $"{firstParameters[i].name} differs between two models seeded alike");
        }
    }

    [Fact]
    public void Models_built_with_different_seeds_differ()
    {
        using var first = new Mlp(8, [16], MlpActivation.Tanh, 0.0, outputClasses: 2, seed: 1);
        using var second = new Mlp(8, [16], MlpActivation.Tanh, 0.0, outputClasses: 2, seed: 2);

        Tensor firstWeight = first.named_parameters().First().parameter;
        Tensor secondWeight = second.named_parameters().First().parameter;

        Assert.False(firstWeight.Equals(secondWeight));
    }

    [Fact]
    public void Forward_maps_a_batch_to_one_logit_per_class()
    {
        using var model = new Mlp(4, [8], MlpActivation.Relu, 0.0, outputClasses: 3, seed: 5);
        using var scope = NewDisposeScope();

        Tensor logits = model.forward(zeros(5, 4));

        Assert.Equal([5L, 3L], logits.shape);
    }
}
