using Coordinator.Testing.Scripts;

namespace Coordinator.Testing.Tests;

/// <summary>Metric scripts the tests share.</summary>
internal static class Curves
{
    /// <summary>val_loss falls until <paramref name="bestAt"/>, then creeps up: a plateau schedule cuts the rate, early stopping stops.</summary>
    public static MetricScript FallThenRise(int epochs = 20, int bestAt = 8) => MetricScript.Of(epochs, e => new EpochMetrics(
        Loss: 1.0 / (1 + e), Accuracy: Math.Min(0.99, 0.5 + e * 0.025),
        ValLoss: e <= bestAt ? 1.0 / (1 + e) + 0.05 : 1.0 / (1 + bestAt) + 0.05 + (e - bestAt) * 0.01, ValAccuracy: 0.75));

    /// <summary>Falls every epoch: no plateau, no early stop.</summary>
    public static MetricScript Falling(int epochs = 10) =>
        MetricScript.Of(epochs, e => new EpochMetrics(1.0 / (1 + e), 0.5, 1.2 / (1 + e), 0.25));
}
