namespace Coordinator.Configuration;

/// <summary>
/// A configuration value that cannot be used: names the field, the value and what is allowed, and
/// where it came from (<see cref="Origin"/>: a file, or <c>--set key=value</c>) when that is known.
/// </summary>
public sealed class ConfigurationError : Exception
{
    public ConfigurationError(string field, string value, string allowed) : this(field, value, allowed, null)
    {
    }

    private ConfigurationError(string field, string value, string allowed, string? source)
        : this(field, value, allowed, source, $"{field} = {value}: {allowed}")
    {
    }

    private ConfigurationError(string field, string value, string allowed, string? source, string message)
        : base((source is null ? "" : source + ": ") + message)
    {
        (Field, Value, Allowed, Origin, Detail) = (field, value, allowed, source, message);
    }

    public string Field { get; }
    public string Value { get; }
    public string Allowed { get; }
    public string? Origin { get; }

    /// <summary>The message without its origin, for a caller that names the file itself.</summary>
    public string Detail { get; }

    public static ConfigurationError Missing(string field, string allowed) => new(field, "(missing)", allowed);

    /// <summary>Text that is not HOCON: <c>FILE: line N: problem (not valid HOCON)</c>.</summary>
    public static ConfigurationError Syntax(string source, int? line, string problem) =>
        new(line is null ? "(file)" : $"line {line}", "", problem, source, (line is null ? "" : $"line {line}: ") + $"{problem} (not valid HOCON)");

    /// <summary>The same error, saying where it came from (kept if it already says).</summary>
    public ConfigurationError From(string source) => Origin is null ? new ConfigurationError(Field, Value, Allowed, source, Detail) : this;
}
