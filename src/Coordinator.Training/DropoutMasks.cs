using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Coordinator.Training;

/// <summary>
/// Dropout masks as a pure function of (seed, epoch, sample, layer, unit). Whichever worker trains a
/// sample, alongside whichever others, the sample gets the same mask, as it gets the same place in the
/// data order: N workers sharing a global batch train exactly as one worker with all of it, and a lost or
/// joining worker, or an epoch trained again after a restart, changes nothing. Each element is kept with
/// probability 1 - p and scaled by 1 / (1 - p) (inverted dropout). Nothing here is state to checkpoint.
/// </summary>
public sealed class DropoutMasks
{
    private readonly ulong seed;
    private readonly float scale;
    private readonly ulong threshold; // an element is dropped when its 24-bit draw is below this
    private int epoch = -1;
    private int[] samples = [];
    private float[] buffer = [];

    public DropoutMasks(long seed, double probability)
    {
        if (probability is <= 0 or >= 1 || double.IsNaN(probability))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "must be in (0, 1)");
        }

        this.seed = Mix(unchecked((ulong)seed + 0xD1B54A32D192ED03UL));
        Probability = probability;
        scale = (float)(1.0 / (1.0 - probability));
        threshold = (ulong)Math.Round(probability * (1 << 24));
    }

    public double Probability { get; }

    /// <summary>The samples (indices into the training set) of the next training-mode forward pass, row by row.</summary>
    public void Use(int epoch, ReadOnlySpan<int> samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        this.epoch = epoch;
        this.samples = samples.ToArray();
    }

    /// <summary>The mask of dropout layer <paramref name="layer"/> for a [rows, units] input.</summary>
    internal Tensor Mask(int layer, long rows, long units)
    {
        if (epoch < 0 || rows != samples.Length)
        {
            throw new InvalidOperationException(
                $"A training-mode forward pass of {rows} rows, but {samples.Length} samples were given: call Use(epoch, samples) with the batch's samples first.");
        }

        int count = checked((int)(rows * units));
        if (buffer.Length < count)
        {
            buffer = new float[count];
        }

        ulong layerKey = Mix(seed ^ ((ulong)(uint)epoch << 32 | (uint)layer));
        for (int r = 0; r < samples.Length; r++)
        {
            ulong rowKey = Mix(layerKey ^ (ulong)(uint)samples[r]);
            int start = r * (int)units;
            for (int u = 0; u < units; u++)
            {
                ulong draw = Mix(rowKey + (ulong)u * 0x9E3779B97F4A7C15UL) >> 40;
                buffer[start + u] = draw < threshold ? 0f : scale;
            }
        }

        Tensor mask = empty([rows, units], ScalarType.Float32);
        MemoryMarshal.AsBytes(buffer.AsSpan(0, count)).CopyTo(mask.bytes);
        return mask;
    }

    // SplitMix64's finaliser: a bijection that spreads every input bit over the output.
    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
