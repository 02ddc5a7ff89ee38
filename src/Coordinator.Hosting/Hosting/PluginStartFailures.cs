using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;

namespace Coordinator.Cli.Hosting;

/// <summary>
/// Recognises a journal or snapshot-store plug-in that fails to start. Akka.Persistence.Sql's plug-ins throw
/// when they cannot initialise (a damaged SQLite file, an unreachable PostgreSQL) and are restarted, forever,
/// each time logging the failure with its stack trace; the supervisor would wait its recovery timeout first.
/// Such failures are reported once, as one line, by <see cref="PluginStartWatch"/>, and kept out of the
/// console log by <see cref="Filter"/>. Any error a plug-in actor logs with an exception is one: the
/// plug-ins report failed writes and reads to the persistent actor, and throw only when they cannot start.
/// </summary>
public static class PluginStartFailures
{
    /// <summary>The journal and snapshot-store plug-ins the configuration selects, by kind.</summary>
    public static IReadOnlyList<(string Kind, string Id)> Selected(Config config) =>
    [
        ("journal", config.GetString("akka.persistence.journal.plugin", "")),
        ("snapshot store", config.GetString("akka.persistence.snapshot-store.plugin", "")),
    ];

    /// <summary>The one line for <paramref name="e"/> when it is a plug-in's failure to start, else null.</summary>
    public static string? Describe(LogEvent e, IReadOnlyList<(string Kind, string Id)> plugins)
    {
        if (e is not Error { Cause: { } cause } || e.LogSource is not { } source) return null;
        foreach (var (kind, id) in plugins)
            if (id.Length > 0 && source.EndsWith("/system/" + id, StringComparison.Ordinal))
                return $"the {kind} ({id}) could not start: {CauseText(cause)}";
        return null;
    }

    /// <summary>What went wrong, without the wrappers: e.g. "Failed to connect to 127.0.0.1:1: Connection refused".</summary>
    private static string CauseText(Exception cause)
    {
        var messages = new List<string>();
        for (Exception? e = cause; e is not null && messages.Count < 2; e = e.InnerException)
        {
            if (e is AggregateException or System.Reflection.TargetInvocationException || e.GetType() == typeof(ApplicationException)) continue;
            var message = e.Message.TrimEnd('.');
            if (message.Length > 0 && !messages.Contains(message)) messages.Add(message);
        }
        return messages.Count == 0 ? cause.GetBaseException().Message.TrimEnd('.') : string.Join(": ", messages);
    }

    /// <summary>The actor system setup that keeps these failures out of the console log.</summary>
    public static LogFilterSetup Filter(Config config) => new LogFilterBuilder().Add(new StartFailureFilter(Selected(config))).Build();

    private sealed class StartFailureFilter(IReadOnlyList<(string Kind, string Id)> plugins) : LogFilterBase
    {
        public override LogFilterType FilterType => LogFilterType.Content;

        public override LogFilterDecision ShouldKeepMessage(LogEvent content, string? expandedMessage = null) =>
            Describe(content, plugins) is null ? LogFilterDecision.NoDecision : LogFilterDecision.Drop;
    }
}
