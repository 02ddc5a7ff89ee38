using Coordinator.Actors.Protocol;
using Coordinator.Core.Reporting;

namespace Coordinator.Actors.Events;

/// <summary>
/// Everything the supervisor decides, as persisted events (past tense). Each is stored with a
/// versioned manifest (see <c>CoordinatorSerializer</c>); docs/EVENTS.md lists their fields.
/// </summary>
public static class RunEvents
{
    public interface IRunEvent : ICoordinatorMessage;

    public sealed record RunStarted(
        string RunId, int Workers, string Sync, long Seed, int Epochs, double InitialLearningRate,
        int ParameterCount, string ConfigSha256, DateTimeOffset At) : IRunEvent;

    /// <summary>An epoch's aggregated logs (after the callbacks, with learning_rate), the steps it ran,
    /// the bytes the busiest worker sent to synchronise (bytes per step = BytesSent / Steps), and the
    /// callback engine's state after it, so a recovered supervisor continues with the same decisions.</summary>
    public sealed record EpochCompleted(
        int Epoch, double LearningRate, IReadOnlyDictionary<string, double> Logs, double Seconds,
        int Steps, long BytesSent, string CallbackState) : IRunEvent;

    public sealed record LearningRateChanged(int Epoch, double From, double To, string Reason, string Source) : IRunEvent;

    public sealed record CheckpointSaved(
        int Epoch, int? Batch, string Path, string Sha256, long Bytes, string Monitor, double? MonitorValue, string Kind) : IRunEvent;

    public sealed record CheckpointDeleted(int Epoch, string Path, string Reason) : IRunEvent;

    public sealed record TrainingStopped(int Epoch, int? Batch, string Kind, string Source, string Reason) : IRunEvent;

    public sealed record BestWeightsRestored(int Epoch, string Source) : IRunEvent;

    public sealed record RunCompleted(
        string Status, FinalMetrics Final, string FinalModelPath, string FinalModelSha256, long FinalModelBytes,
        double WallSeconds) : IRunEvent;

    public sealed record RunFailed(string Reason, double WallSeconds) : IRunEvent;
}
