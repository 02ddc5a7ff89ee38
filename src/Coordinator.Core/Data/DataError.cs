namespace Coordinator.Core.Data;

/// <summary>A data file that cannot be used: names the file, and the line and column where it can.</summary>
public sealed class DataError(string file, string problem) : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
}
