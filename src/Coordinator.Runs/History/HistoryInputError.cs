namespace Coordinator.Cli.History;

/// <summary>Bad input to <c>history</c> or <c>runs</c> (a missing folder, a folder that is not a run,
/// a journal that cannot be read): exit code 2, the message names the path.</summary>
public sealed class HistoryInputError(string message, Exception? inner = null) : Exception(message, inner);
