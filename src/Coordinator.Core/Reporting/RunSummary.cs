using System.Text.Json.Serialization;

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

/// <summary>One epoch: the rate it trained with and its aggregated logs, whatever metrics the run logs
/// (<c>learning_rate</c> apart: it is <see cref="Lr"/>). In summary.json: epoch, lr, the logs, seconds.</summary>
[JsonConverter(typeof(EpochRecordJson))]
public sealed record EpochRecord(int Epoch, double Lr, NamedValues Logs, double Seconds)
{
    /// <summary>A record of the four logs a classifier's run has (tests and tools).</summary>
    public EpochRecord(int epoch, double lr, double loss, double accuracy, double valLoss, double valAccuracy, double seconds)
        : this(epoch, lr, FinalMetrics.Classifier(loss, accuracy, valLoss, valAccuracy), seconds) { }

    public double Loss => Logs["loss"];
    public double Accuracy => Logs["accuracy"];
    public double ValLoss => Logs["val_loss"];
    public double ValAccuracy => Logs["val_accuracy"];
}

public sealed record LrChangeRecord(int Epoch, double From, double To, string Reason);

public sealed record CheckpointRecord(
    int Epoch, string Path, string Sha256, long Bytes, double? MonitorValue, bool Deleted);

/// <summary>Metrics of the model finally kept (after any restore of best weights), by name as the epochs log
/// them (<c>loss</c>, ..., <c>val_loss</c>, ...); written as an object of those names.</summary>
[JsonConverter(typeof(FinalMetricsJson))]
public sealed record FinalMetrics(NamedValues Logs)
{
    // One public constructor: Akka's own journal messages carry events through Newtonsoft.Json, which needs that.

    /// <summary>The four logs of a classifier's run (tests and tools).</summary>
    public static FinalMetrics Of(double loss, double accuracy, double valLoss, double valAccuracy) =>
        new(Classifier(loss, accuracy, valLoss, valAccuracy));

    public double Loss => Logs["loss"];
    public double Accuracy => Logs["accuracy"];
    public double ValLoss => Logs["val_loss"];
    public double ValAccuracy => Logs["val_accuracy"];

    internal static NamedValues Classifier(double loss, double accuracy, double valLoss, double valAccuracy) =>
        new([new("loss", loss), new("accuracy", accuracy), new("val_loss", valLoss), new("val_accuracy", valAccuracy)]);
}
