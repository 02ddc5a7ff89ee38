using TorchSharp;
using static TorchSharp.torch;

namespace Coordinator.Training;

/// <summary>
/// Inverted dropout whose masks come from a given generator rather than torch's global one (which
/// <c>nn.Dropout</c> uses and which every thread of the process shares). In training mode each element is
/// kept with probability 1 - p and scaled by 1 / (1 - p); in eval mode the input passes through unchanged.
/// The generator is not owned: whoever created it disposes it.
/// </summary>
internal sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double probability;
    private readonly Generator generator;

    public SeededDropout(double probability, Generator generator)
        : base(nameof(SeededDropout))
    {
        if (probability is < 0 or >= 1 || double.IsNaN(probability))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout must be in [0, 1).");
        }

        this.probability = probability;
        this.generator = generator ?? throw new ArgumentNullException(nameof(generator));
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || probability == 0)
        {
            return input.alias(); // a new handle: Sequential disposes each layer's output
        }

        using Tensor uniform = rand(input.shape, input.dtype, input.device, generator: generator);
        using Tensor mask = uniform.ge(probability).to_type(input.dtype).mul_(1.0 / (1.0 - probability));
        return input.mul(mask);
    }
}
