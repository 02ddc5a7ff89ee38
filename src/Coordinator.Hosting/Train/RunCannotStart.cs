namespace Coordinator.Cli.Train;

/// <summary>
/// The run cannot start or continue for a reason that is not bad input: its journal is damaged, or the
/// journal or snapshot store could not start. <c>train</c> prints the message as one line and exits 1,
/// leaving the run folder as it was.
/// </summary>
public sealed class RunCannotStart(string message) : Exception(message);
