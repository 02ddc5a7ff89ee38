using static TorchSharp.torch;

namespace Coordinator.Training;

/// <summary>
/// Inverted dropout whose masks come from <see cref="DropoutMasks"/> (a function of the samples trained)
/// rather than torch's global generator, which <c>nn.Dropout</c> uses and every thread shares. In eval mode
/// the input passes through unchanged. Multiplies by a mask tensor only: no implicit TorchSharp Scalars.
/// </summary>
internal sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly DropoutMasks masks;
    private readonly int layer;

    public SeededDropout(DropoutMasks masks, int layer)
        : base(nameof(SeededDropout))
    {
        this.masks = masks ?? throw new ArgumentNullException(nameof(masks));
        this.layer = layer;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training)
        {
            return input.alias(); // a new handle: Sequential disposes each layer's output
        }

        if (input.dim() != 2)
        {
            throw new ArgumentException($"expects [batch, units] input; got {input.dim()} dimensions", nameof(input));
        }

        using Tensor mask = masks.Mask(layer, input.shape[0], input.shape[1]);
        if (input.dtype == ScalarType.Float32)
        {
            return input.mul(mask);
        }

        using Tensor typed = mask.to_type(input.dtype);
        return input.mul(typed);
    }
}
