using Coordinator.Callbacks;

namespace Coordinator.Simulation;

/// <summary>One row of a metrics file: its index columns (epoch, and batch) and its logs.</summary>
public sealed record MetricRow(int Line, int Epoch, int? Batch, MetricLogs Logs);

/// <summary>A metrics file read into rows, in file order.</summary>
public sealed record MetricTable(string File, IReadOnlyList<string> Metrics, IReadOnlyList<MetricRow> Rows);
