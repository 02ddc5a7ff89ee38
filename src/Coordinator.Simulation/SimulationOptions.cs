using Coordinator.Callbacks;

namespace Coordinator.Simulation;

/// <summary>What <c>simulate</c> replays: the callbacks, the epoch logs, and optionally batch logs.</summary>
public sealed record SimulationOptions(
    IReadOnlyList<CallbackSettings> Callbacks,
    MetricTable Epochs,
    MetricTable? Batches = null,
    double InitialLearningRate = 0.01,
    int BatchesPerEpoch = 1,
    int Workers = 1);
