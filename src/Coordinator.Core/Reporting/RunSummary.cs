namespace Coordinator.Core.Reporting;

/// <summary>
/// What a run did, as <c>summary.json</c> states it: a stable contract for tools. Paths are
/// relative to the run folder.
/// </summary>
public sealed record RunSummary(
    string RunId,
    RunStatus Status,
    int EpochsRun,
    int StoppedEpoch,
    string? StopReason,
    string? Monitor,
    int? BestEpoch,
    double? Best,
    FinalMetrics? Final,
    int Workers,
    string Sync,
    double WallSeconds,
    IReadOnlyList<EpochRecord> History,
    IReadOnlyList<LrChangeRecord> LrChanges,
    IReadOnlyList<CheckpointRecord> Checkpoints,
    string? FinalModel = null,
    string? Error = null);

/// <summary>One epoch: the rate it trained with and its aggregated logs (NaN where a metric is missing).</summary>
public sealed record EpochRecord(
    int Epoch, double Lr, double Loss, double Accuracy, double ValLoss, double ValAccuracy, double Seconds);

public sealed record LrChangeRecord(int Epoch, double From, double To, string Reason);

public sealed record CheckpointRecord(
    int Epoch, string Path, string Sha256, long Bytes, double? MonitorValue, bool Deleted);

/// <summary>Metrics of the model finally kept (after any restore of best weights).</summary>
public sealed record FinalMetrics(double Loss, double Accuracy, double ValLoss, double ValAccuracy);
