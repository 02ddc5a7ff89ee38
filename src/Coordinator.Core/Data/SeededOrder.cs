namespace Coordinator.Core.Data;

/// <summary>
/// Deterministic permutations from seeds alone (SplitMix64 driving Fisher-Yates), so a data order
/// never depends on the runtime's <see cref="Random"/> or on which process computes it.
/// </summary>
public static class SeededOrder
{
    /// <summary>A permutation of 0..n-1 for <paramref name="seed"/> and <paramref name="stream"/>.</summary>
    public static int[] Permutation(int n, long seed, long stream)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xD1B54A32D192ED03UL);
        for (var i = n - 1; i > 0; i--)
        {
            var j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
