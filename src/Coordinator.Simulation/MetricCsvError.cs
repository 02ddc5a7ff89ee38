namespace Coordinator.Simulation;

/// <summary>A metrics CSV that cannot be read: names the file, the line and what is wrong.</summary>
public sealed class MetricCsvError(string file, int line, string problem)
    : Exception(line > 0 ? $"{file}, line {line}: {problem}" : $"{file}: {problem}")
{
    public int Line { get; } = line;
}
