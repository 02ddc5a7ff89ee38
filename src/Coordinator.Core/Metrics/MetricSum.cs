namespace Coordinator.Core.Metrics;

/// <summary>A metric's total over some samples, as a replica reports it: its value is
/// <see cref="Sum"/> / <see cref="Count"/> (a loss summed over samples, or the samples a top-k hit, ...).
/// Sums travel instead of means so that shares of different sizes weigh by their counts.</summary>
public readonly record struct MetricSum(string Name, double Sum, long Count);
