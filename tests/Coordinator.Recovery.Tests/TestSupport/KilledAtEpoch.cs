using Coordinator.Actors.TestSupport;
using Coordinator.Core.Storage;

namespace Coordinator.Recovery.Tests.TestSupport;

/// <summary>A <c>train</c> process killed (SIGKILL) once the console shows an epoch's line: the journal holds that epoch.</summary>
public static class KilledAtEpoch
{
    // 10 ms a step: an epoch takes at least 0.45 s, so the kill lands in the epoch after the line.
    private static readonly Dictionary<string, string> SlowSteps = new() { [FaultInjection.StepDelayVariable] = "10" };

    public static void Run(string conf, string runDir, int epoch)
    {
        using var process = CoordinatorProcess.Start(["train", "--config", conf, "--run-dir", runDir], SlowSteps);
        process.WaitForLine(l => l.StartsWith($"Epoch {epoch}/", StringComparison.Ordinal) && l.Contains("val_loss", StringComparison.Ordinal),
            TimeSpan.FromMinutes(2));
        Assert.False(process.HasExited, $"the run ended before it could be killed:\n{process.Stdout}");
        process.Kill();
    }
}
