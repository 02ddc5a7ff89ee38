namespace Coordinator.Callbacks.Monitoring;

/// <summary>
/// Keras's <c>MonitorCallback._is_improvement</c>: any value improves on no reference (Keras's
/// <c>None</c>: every monitor starts there in Keras 3.15 and later), otherwise
/// <c>monitor_op(value - min_delta, reference)</c> where min_delta is made negative for min mode.
/// Comparisons with NaN are false, as in NumPy: a first NaN becomes the best, and then nothing
/// improves on it.
/// </summary>
public readonly record struct MonitorComparison(Direction Direction, double MinDelta)
{
    /// <summary>The signed delta Keras subtracts: -|d| when minimizing, +|d| when maximizing.</summary>
    public double SignedDelta => Direction == Direction.Minimize ? -Math.Abs(MinDelta) : Math.Abs(MinDelta);

    /// <summary>The worst possible value (+inf when minimizing, -inf when maximizing): where
    /// save-top-k ranks a missing or NaN value. Not a starting best (Keras starts from None).</summary>
    public double Worst => Direction == Direction.Minimize ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary><c>monitor_op(a, b)</c>: strictly less when minimizing, strictly greater when maximizing.</summary>
    public bool Better(double a, double b) => Direction == Direction.Minimize ? a < b : a > b;

    /// <summary>Keras's <c>_is_improvement(value, reference)</c>; a null reference is Keras's <c>None</c>.</summary>
    public bool IsImprovement(double value, double? reference) =>
        reference is not { } r || Better(value - SignedDelta, r);
}
