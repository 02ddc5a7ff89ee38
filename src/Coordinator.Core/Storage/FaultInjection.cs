using System.Globalization;

namespace Coordinator.Core.Storage;

/// <summary>
/// Fault injection for crash tests, handed to the training loop (<c>WorkerSetup.Faults</c>) and to the checkpoint
/// store (<see cref="FileCheckpointStore"/>) by the composition; <see cref="None"/> everywhere else.
/// <see cref="WriteDelay"/> holds every checkpoint-store write between its temporary file and the rename, so a test
/// can kill the process in the middle of a checkpoint or resume-state write. <see cref="StepDelay"/> holds every
/// training step of this process's workers, so a test can make one node slow and be sure to kill it mid-epoch (the
/// others wait for it at every synchronisation). Process tests set them through <see cref="WriteDelayVariable"/> and
/// <see cref="StepDelayVariable"/>, which the hosts read once (<see cref="FromEnvironment"/>).
/// </summary>
public sealed record FaultInjection(TimeSpan WriteDelay, TimeSpan StepDelay)
{
    public const string WriteDelayVariable = "COORDINATOR_FAULT_WRITE_DELAY_MS";
    public const string StepDelayVariable = "COORDINATOR_FAULT_STEP_DELAY_MS";

    /// <summary>No fault: what production runs with.</summary>
    public static readonly FaultInjection None = new(TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The delays the variables ask for (whole milliseconds; unset or not a number is no delay).</summary>
    public static FaultInjection FromEnvironment(Func<string, string?> variable) =>
        new(Milliseconds(variable(WriteDelayVariable)), Milliseconds(variable(StepDelayVariable)));

    /// <summary>The delays this process's environment asks for.</summary>
    public static FaultInjection FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    public void BeforeRename()
    {
        if (WriteDelay > TimeSpan.Zero) Thread.Sleep(WriteDelay);
    }

    public void BeforeStep()
    {
        if (StepDelay > TimeSpan.Zero) Thread.Sleep(StepDelay);
    }

    private static TimeSpan Milliseconds(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;
}
