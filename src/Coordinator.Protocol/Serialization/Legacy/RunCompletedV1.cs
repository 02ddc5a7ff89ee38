using Coordinator.Core.Reporting;

namespace Coordinator.Actors.Serialization.Legacy;

/// <summary>
/// <c>run-completed.v1</c>, written while a run's metrics were fixed: <c>final</c> held loss, accuracy,
/// valLoss and valAccuracy as fields. Read only: upcast to <see cref="Events.RunEvents.RunCompleted"/> with
/// those four as the logs <c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c>.
/// </summary>
internal sealed record RunCompletedV1(
    RunStatus Status, FinalMetricsV1 Final, string FinalModelPath, string FinalModelSha256, long FinalModelBytes, double WallSeconds)
{
    public Events.RunEvents.RunCompleted Upcast() =>
        new(Status, Final.Upcast(), FinalModelPath, FinalModelSha256, FinalModelBytes, WallSeconds);
}

internal sealed record FinalMetricsV1(double Loss, double Accuracy, double ValLoss, double ValAccuracy)
{
    /// <summary>The v1 field names in a stored object, and the log each stands for.</summary>
    public static readonly IReadOnlyList<(string Field, string Log)> Fields =
        [("loss", "loss"), ("accuracy", "accuracy"), ("valLoss", "val_loss"), ("valAccuracy", "val_accuracy")];

    public FinalMetrics Upcast() => FinalMetrics.Of(Loss, Accuracy, ValLoss, ValAccuracy);
}
