namespace Coordinator.Callbacks.Monitoring;

/// <summary>What a monitoring callback compares: the metric, its direction, and its best value now
/// (null: Keras's None, nothing seen yet).</summary>
public sealed record MonitorReading(string Monitor, Direction Direction, double? Best)
{
    /// <summary>Whether no value can improve on the best any more: NaN (every comparison with it
    /// is false) or the best end of the scale (-inf when minimizing, +inf when maximizing).</summary>
    public bool Unbeatable => Best is { } b &&
        (double.IsNaN(b) || b == (Direction == Direction.Minimize ? double.NegativeInfinity : double.PositiveInfinity));
}
