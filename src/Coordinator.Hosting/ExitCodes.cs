namespace Coordinator.Cli;

/// <summary>Process exit codes, the same for every verb.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The run itself failed (a callback could not decide, training failed).</summary>
    public const int Failed = 1;
    /// <summary>Bad input: arguments, configuration or data files; nothing was run.</summary>
    public const int BadInput = 2;
    /// <summary><c>train</c> was interrupted with Ctrl+C (128 + SIGINT, as shells report it); the run can be resumed.</summary>
    public const int Interrupted = 130;
}
