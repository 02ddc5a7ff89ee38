using Coordinator.Callbacks;

namespace Coordinator.Simulation;

/// <summary>One epoch of a replay, as <c>simulate</c> prints it.</summary>
public sealed record SimulatedEpoch(
    int Epoch, double LearningRate, double LearningRateAfter, bool Stop, IReadOnlyList<string> Saved,
    IReadOnlyList<CallbackDecision> Decisions);

/// <summary>The end of a replay. Null fields do not apply (for example: no EarlyStopping configured).</summary>
public sealed record SimulationSummary(
    int EpochsRun, int? StoppedEpoch, StopReason? StopReason, int? RestoredWeightsEpoch, double? Best);
