using System.Globalization;

namespace Coordinator.Core.Storage;

/// <summary>
/// Fault-injection for crash tests. <c>COORDINATOR_FAULT_WRITE_DELAY_MS</c> holds every atomic write
/// between its temporary file and the rename, so a test can kill the process in the middle of a
/// checkpoint write. <c>COORDINATOR_FAULT_STEP_DELAY_MS</c> holds every training step of this
/// process's workers, so a test can make one node slow and be sure to kill it mid-epoch (the others
/// wait for it at every synchronisation). Unset (always, outside such tests), they do nothing.
/// </summary>
public static class FaultInjection
{
    public const string WriteDelayVariable = "COORDINATOR_FAULT_WRITE_DELAY_MS";
    public const string StepDelayVariable = "COORDINATOR_FAULT_STEP_DELAY_MS";

    private static readonly int WriteDelayMs = Milliseconds(WriteDelayVariable);
    private static readonly int StepDelayMs = Milliseconds(StepDelayVariable);

    public static void BeforeRename()
    {
        if (WriteDelayMs > 0) Thread.Sleep(WriteDelayMs);
    }

    public static void BeforeStep()
    {
        if (StepDelayMs > 0) Thread.Sleep(StepDelayMs);
    }

    private static int Milliseconds(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : 0;
}
