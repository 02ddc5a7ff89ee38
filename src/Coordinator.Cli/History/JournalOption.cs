using System.CommandLine;

namespace Coordinator.Cli.History;

/// <summary><c>--journal CONNECTION</c> of <c>history</c> and <c>runs</c>: a cluster run's PostgreSQL journal.</summary>
public static class JournalOption
{
    public static Option<string?> Create(string description) => new("--journal") { Description = description };

    /// <summary>The connection string, or null when not given; an empty one is bad input.</summary>
    public static string? Value(string? given) => given switch
    {
        null => null,
        _ when string.IsNullOrWhiteSpace(given) => throw new HistoryInputError(
            "--journal = \"\": give a PostgreSQL connection string, e.g. \"Host=127.0.0.1;Port=5432;Database=coordinator;Username=coordinator\""),
        _ => given,
    };
}
