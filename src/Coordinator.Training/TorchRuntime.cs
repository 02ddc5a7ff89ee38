using TorchSharp;

namespace Coordinator.Training;

/// <summary>
/// Process-wide TorchSharp setup. Call <see cref="SetNumThreads"/> (optional) once at startup, before the
/// first model or tensor; everything in this library that creates tensors calls
/// <see cref="EnsureInitialized"/> first, and so should other code before its first tensor op.
/// Thread-safe.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static volatile bool tensorsInUse;
    private static bool nativeReady;
    private static int numThreads; // 0 until fixed by SetNumThreads or first use

    /// <summary>
    /// Sets torch's intra-op thread count. Calling again with the same count is a no-op; a different count
    /// is accepted until tensors are in use and throws <see cref="InvalidOperationException"/> after that.
    /// </summary>
    public static void SetNumThreads(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (Gate)
        {
            if (numThreads == count)
            {
                return;
            }

            if (tensorsInUse)
            {
                throw new InvalidOperationException(
                    $"TorchRuntime.SetNumThreads({count}): TorchSharp already runs with {numThreads} intra-op " +
                    "thread(s) and tensors are in use. Set the thread count once at startup, before creating " +
                    "any model or tensor.");
            }

            EnsureNativeReady();
            torch.set_num_threads(count);
            numThreads = count;
        }
    }

    /// <summary>Loads the native backend (see <see cref="TorchNativeGuard"/>) and marks tensors as in use,
    /// fixing the thread count (torch's default unless <see cref="SetNumThreads"/> ran). Idempotent.</summary>
    public static void EnsureInitialized()
    {
        if (tensorsInUse)
        {
            return;
        }

        lock (Gate)
        {
            if (tensorsInUse)
            {
                return;
            }

            EnsureNativeReady();
            if (numThreads == 0)
            {
                numThreads = torch.get_num_threads();
            }

            tensorsInUse = true;
        }
    }

    /// <summary>Seeds torch's global generator (dropout, random tensors created without a generator).</summary>
    public static void ManualSeed(long seed)
    {
        EnsureInitialized();
        using torch.Generator generator = torch.manual_seed(seed);
    }

    private static void EnsureNativeReady()
    {
        if (!nativeReady)
        {
            TorchNativeGuard.EnsureLoadable();
            nativeReady = true;
        }
    }
}
