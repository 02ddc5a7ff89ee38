using System.Globalization;

namespace Coordinator.Core.Storage;

/// <summary>
/// Fault-injection for crash tests: <c>COORDINATOR_FAULT_WRITE_DELAY_MS</c> holds every atomic
/// write between its temporary file and the rename, so a test can kill the process in the middle
/// of a checkpoint write. Unset (always, outside such tests), it does nothing.
/// </summary>
public static class FaultInjection
{
    public const string WriteDelayVariable = "COORDINATOR_FAULT_WRITE_DELAY_MS";

    private static readonly int DelayMs =
        int.TryParse(Environment.GetEnvironmentVariable(WriteDelayVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : 0;

    public static void BeforeRename()
    {
        if (DelayMs > 0) Thread.Sleep(DelayMs);
    }
}
