using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Coordinator.Training;

/// <summary>
/// Multi-layer perceptron classifier: per hidden layer Linear, activation and (if &gt; 0) dropout, then a
/// Linear producing logits. Weights and biases are drawn from a private generator seeded with the given
/// seed, with PyTorch's default Linear distribution U(-1/sqrt(fan_in), 1/sqrt(fan_in)), so equal seeds give
/// equal parameters whatever the global generator or other threads do. Dropout masks come from
/// <see cref="Masks"/>, a function of (<c>dropoutSeed</c>, epoch, sample), never from torch's global
/// generator: a training-mode forward pass depends only on the seeds, the samples and their inputs.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;
    private readonly DropoutMasks? masks;

    public Mlp(
        int inputSize,
        IReadOnlyList<int> hiddenSizes,
        MlpActivation activation,
        double dropout,
        int outputClasses,
        long seed,
        long? dropoutSeed = null)
        : base(InitializedName())
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputClasses, 2);
        if (dropout is < 0 or >= 1 || double.IsNaN(dropout))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout must be in [0, 1).");
        }

        if (hiddenSizes.Any(size => size < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenSizes), "Hidden sizes must be positive.");
        }

        InputSize = inputSize;
        HiddenSizes = hiddenSizes.ToArray();
        Activation = activation;
        Dropout = dropout;
        OutputClasses = outputClasses;
        Seed = seed;
        DropoutSeed = dropoutSeed ?? seed;

        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        long width = inputSize;
        if (dropout > 0)
        {
            masks = new DropoutMasks(DropoutSeed, dropout);
        }

        for (int i = 0; i < HiddenSizes.Count; i++)
        {
            modules.Add(($"linear{i}", nn.Linear(width, HiddenSizes[i])));
            modules.Add(($"activation{i}", CreateActivation(activation)));
            if (dropout > 0)
            {
                modules.Add(($"dropout{i}", new SeededDropout(masks!, i)));
            }

            width = HiddenSizes[i];
        }

        modules.Add(("output", nn.Linear(width, outputClasses)));
        layers = nn.Sequential(modules);
        RegisterComponents();
        InitializeParameters(seed);
    }

    public int InputSize { get; }

    public IReadOnlyList<int> HiddenSizes { get; }

    public MlpActivation Activation { get; }

    public double Dropout { get; }

    public int OutputClasses { get; }

    public long Seed { get; }

    /// <summary>Seed of the dropout masks (<see cref="Seed"/> unless given).</summary>
    public long DropoutSeed { get; }

    /// <summary>The dropout masks; null without dropout. Before a training-mode forward pass, tell them
    /// the epoch and the samples of the batch (<see cref="DropoutMasks.Use"/>).</summary>
    public DropoutMasks? Masks => masks;

    /// <summary>Maps a [batch, InputSize] float tensor to [batch, OutputClasses] logits.</summary>
    public override Tensor forward(Tensor input) => layers.forward(input);

    // Runs before the base constructor, which already calls into the native library.
    private static string InitializedName()
    {
        TorchRuntime.EnsureInitialized();
        return nameof(Mlp);
    }

    private static nn.Module<Tensor, Tensor> CreateActivation(MlpActivation activation) => activation switch
    {
        MlpActivation.Relu => nn.ReLU(),
        MlpActivation.Tanh => nn.Tanh(),
        MlpActivation.Gelu => nn.GELU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    private void InitializeParameters(long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        using var noGrad = no_grad();
        foreach (Linear linear in layers.children().OfType<Linear>())
        {
            double bound = 1.0 / Math.Sqrt(linear.in_features);
            linear.weight.uniform_(-bound, bound, generator);
            linear.bias?.uniform_(-bound, bound, generator);
        }
    }
}
