using TorchSharp;

namespace Coordinator.Training.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Thread_count_cannot_change_once_tensors_are_in_use()
    {
        TorchRuntime.EnsureInitialized();
        int current = torch.get_num_threads();

        TorchRuntime.SetNumThreads(current); // same count: idempotent

        var error = Assert.Throws<InvalidOperationException>(() => TorchRuntime.SetNumThreads(current + 1));
        Assert.Contains("tensors are in use", error.Message, StringComparison.Ordinal);
        Assert.Equal(current, torch.get_num_threads());
    }

    [Fact]
    public void Thread_count_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.SetNumThreads(0));
    }
}
