using Coordinator.Callbacks;

namespace Coordinator.Simulation;

/// <summary>
/// What <c>simulate</c> replays: the callbacks, the epoch logs, and optionally batch logs. Without
/// an <see cref="InitialLearningRate"/>, the metrics' <c>learning_rate</c> column gives it (its
/// first row, when no scheduler changes the rate before epoch 0 trains), else 0.01.
/// </summary>
public sealed record SimulationOptions(
    IReadOnlyList<CallbackSettings> Callbacks,
    MetricTable Epochs,
    MetricTable? Batches = null,
    double? InitialLearningRate = null,
    int BatchesPerEpoch = 1,
    int Workers = 1)
{
    public const double DefaultLearningRate = 0.01;
}
