using Spectre.Console;

namespace Coordinator.Reporting;

/// <summary>Picks the progress display: a live bar on an interactive terminal, plain lines when the
/// output is redirected.</summary>
public static class ConsoleProgress
{
    /// <summary>For the process's console: live when stdout is an interactive terminal.</summary>
    public static ITrainingProgress Create() =>
        !Console.IsOutputRedirected && IsInteractive(AnsiConsole.Console)
            ? new LiveConsoleProgress(AnsiConsole.Console)
            : new PlainConsoleProgress(Console.Out);

    /// <summary>Live on <paramref name="console"/> if it is interactive, else plain lines to
    /// <paramref name="plainOutput"/>.</summary>
    public static ITrainingProgress Create(IAnsiConsole console, TextWriter plainOutput) =>
        IsInteractive(console) ? new LiveConsoleProgress(console) : new PlainConsoleProgress(plainOutput);

    public static bool IsInteractive(IAnsiConsole console) =>
        console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
}
