namespace Coordinator.Cli.Node;

/// <summary>
/// One setting of <c>coordinator node</c>: its flag (null where a flag would leak a secret into the
/// process list), its environment variable, and the HOCON path it falls back to (null if it has none).
/// </summary>
public sealed record NodeField(string? Flag, string Variable, string? HoconPath, string Meaning)
{
    /// <summary>How errors name the field: both spellings, so either can be searched for.</summary>
    public string Names => Flag is null ? Variable : $"{Flag} / {Variable}";
}
