namespace Coordinator.Callbacks.Monitoring;

/// <summary>
/// Keras's <c>MonitorCallback._is_improvement</c>: <c>monitor_op(value - min_delta, reference)</c>
/// where min_delta is made negative for min mode. Comparisons with NaN are false, as in NumPy.
/// </summary>
public readonly record struct MonitorComparison(Direction Direction, double MinDelta)
{
    /// <summary>The signed delta Keras subtracts: -|d| when minimizing, +|d| when maximizing.</summary>
    public double SignedDelta => Direction == Direction.Minimize ? -Math.Abs(MinDelta) : Math.Abs(MinDelta);

    /// <summary>The best value before anything was seen (+inf when minimizing, -inf when maximizing).</summary>
    public double Worst => Direction == Direction.Minimize ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary><c>monitor_op(a, b)</c>: strictly less when minimizing, strictly greater when maximizing.</summary>
    public bool Better(double a, double b) => Direction == Direction.Minimize ? a < b : a > b;

    public bool IsImprovement(double value, double reference) => Better(value - SignedDelta, reference);
}
