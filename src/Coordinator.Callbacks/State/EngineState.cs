namespace Coordinator.Callbacks.State;

/// <summary>
/// The whole callback engine between two epochs: the optimizer's rate, the stop flag and every
/// callback's state, in configuration order. Restoring it into an engine built from the same
/// configuration continues with exactly the decisions of the uninterrupted run.
/// </summary>
public sealed record EngineState(
    double LearningRate,
    bool StopTraining,
    StopReason? StopReason,
    int? LastEpoch,
    IReadOnlyList<CallbackState> Callbacks);
