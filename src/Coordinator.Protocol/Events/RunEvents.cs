using Coordinator.Actors.Protocol;
using System.Text.Json.Serialization;
using Coordinator.Core.Reporting;

namespace Coordinator.Actors.Events;

/// <summary>
/// Everything the supervisor decides, as persisted events (past tense). Each is stored with a
/// versioned manifest (see <c>CoordinatorSerializer</c>); docs/EVENTS.md lists their fields.
/// </summary>
public static class RunEvents
{
    public interface IRunEvent : ICoordinatorMessage;

    /// <summary>The run began (every worker ready the first time). <see cref="ConfigSha256"/> is the SHA-256 of
    /// its run.conf; <see cref="DataSha256"/> and <see cref="Settings"/> (every setting as <c>key = value</c>)
    /// let a resume refuse a changed configuration or data file and name what changed (null in
    /// <c>run-started.v1</c>, written before they were recorded).</summary>
    public sealed record RunStarted(
        string RunId, int Workers, string Sync, long Seed, int Epochs, double InitialLearningRate,
        int ParameterCount, string ConfigSha256, DateTimeOffset At) : IRunEvent
    {
        public string? DataSha256 { get; init; }
        public IReadOnlyDictionary<string, string>? Settings { get; init; }
    }

    /// <summary>The run's epoch limit became <see cref="To"/> (<c>train --resume RUN --epochs N</c>); a run
    /// that had ended at its old limit goes on from its last epoch.</summary>
    public sealed record EpochLimitChanged(int From, int To, DateTimeOffset At) : IRunEvent;

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

    /// <summary>EarlyStopping's best weights so far were written (kept until they are restored).</summary>
    public sealed record BestWeightsSaved(int Epoch, StoredFile File) : IRunEvent;

    /// <summary>The best weights of <see cref="Epoch"/> were superseded by a better epoch's and their file
    /// is deleted (once the batch that records this is stored).</summary>
    public sealed record BestWeightsDeleted(int Epoch, string Path) : IRunEvent;

    /// <summary>The run ended properly: <see cref="Status"/> is <see cref="RunStatus.Completed"/>, or
    /// <see cref="RunStatus.Stopped"/> when a callback stopped it (stored as "completed" / "stopped").</summary>
    public sealed record RunCompleted(
        [property: JsonConverter(typeof(RunStatusConverter))] RunStatus Status, FinalMetrics Final, string FinalModelPath, string FinalModelSha256, long FinalModelBytes,
        double WallSeconds) : IRunEvent;

    public sealed record RunFailed(string Reason, double WallSeconds) : IRunEvent;

    /// <summary>Every worker's training state (weights, optimizer state, dropout generator) after an
    /// epoch, for resuming: one file per worker, separate from ModelCheckpoint's choices.</summary>
    public sealed record ResumeStateSaved(int Epoch, IReadOnlyList<StoredFile> Files) : IRunEvent;

    /// <summary>An older resume state was deleted (only the newest few are kept).</summary>
    public sealed record ResumeStateDeleted(int Epoch) : IRunEvent;

    /// <summary>The run went on in a new process from the state after <see cref="FromEpoch"/> (-1: from the start).</summary>
    public sealed record RunResumed(int FromEpoch, DateTimeOffset At) : IRunEvent;

    /// <summary>A file recorded in an event no longer matches its SHA-256 (missing, truncated or altered) and was not loaded.</summary>
    public sealed record CheckpointCorrupted(string Path, string ExpectedSha256, string Problem) : IRunEvent;

    /// <summary>
    /// The run went back to the state after <see cref="ToEpoch"/>, because the newer resume state
    /// could not be used; the epochs after it are trained again (their earlier records stay in the
    /// journal, marked superseded).
    /// </summary>
    public sealed record RunRewound(int ToEpoch, string Reason) : IRunEvent;

    /// <summary>A worker became a member of the run; it takes part from <see cref="Epoch"/> on, starting
    /// from the state every other member has (joining does not use up the restart budget).</summary>
    public sealed record WorkerJoined(string Worker, int Epoch, int Workers) : IRunEvent;

    /// <summary>A member was lost (its node or process died, or it stopped) during <see cref="Epoch"/>.</summary>
    public sealed record WorkerLost(string Worker, int Epoch, string Reason, int Workers) : IRunEvent;

    /// <summary>
    /// <see cref="Epoch"/> is trained again from the state after the epoch before it, by the
    /// <see cref="Workers"/> remaining members with the shards re-split among them; this is restart
    /// number <see cref="Restart"/> of at most <see cref="MaxRestarts"/>.
    /// </summary>
    public sealed record EpochRestarted(int Epoch, int Workers, int Restart, int MaxRestarts) : IRunEvent;

    /// <summary>A callback warned during the epoch (a monitored value that is not finite, a metric
    /// missing from the logs): kept with the epoch so that what the console said is not lost.</summary>
    public sealed record CallbackWarned(int Epoch, string Source, string Message) : IRunEvent;

    /// <summary>A file the run wrote: where, its SHA-256 and size.</summary>
    public sealed record StoredFile(string Path, string Sha256, long Bytes);
}
