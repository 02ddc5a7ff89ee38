namespace Coordinator.Callbacks;

/// <summary>An epoch began: the rate it trains with (after any scheduler).</summary>
public sealed record EpochStarted(int Epoch, double LearningRate, IReadOnlyList<CallbackDecision> Decisions);

/// <summary>A batch ended: whether training stops here (TerminateOnNaN), and any batch-level saves.</summary>
public sealed record BatchEnded(int Epoch, int Batch, bool StopTraining, bool Aborted, IReadOnlyList<CallbackDecision> Decisions);

/// <summary>
/// An epoch ended: the rate it trained with, the rate after the epoch-end callbacks, whether
/// training stops, and the logs as the callbacks left them (with <c>learning_rate</c>).
/// </summary>
public sealed record EpochEnded(
    int Epoch, double LearningRate, double LearningRateAfter, bool StopTraining, StopReason? StopReason,
    MetricLogs Logs, IReadOnlyList<CallbackDecision> Decisions);

/// <summary>Training ended: the epoch whose weights are put back, if any.</summary>
public sealed record TrainEnded(int? RestoredWeightsEpoch, IReadOnlyList<CallbackDecision> Decisions);
