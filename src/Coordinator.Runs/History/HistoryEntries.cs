using System.Text.Json;
using System.Text.Json.Serialization;
using Coordinator.Core.Reporting;

namespace Coordinator.Cli.History;

/// <summary>
/// One entry of a run's history, typed: what <c>history --json</c> writes (as <c>"type"</c> plus
/// snake_case fields) and what the text lines are made from. Epochs count from 0 here, as in
/// the journal and the files; the text shows them from 1.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(RunStartedEntry), "run_started")]
[JsonDerivedType(typeof(EpochEntry), "epoch")]
[JsonDerivedType(typeof(LrChangedEntry), "lr_changed")]
[JsonDerivedType(typeof(CheckpointSavedEntry), "checkpoint_saved")]
[JsonDerivedType(typeof(CheckpointDeletedEntry), "checkpoint_deleted")]
[JsonDerivedType(typeof(TrainingStoppedEntry), "training_stopped")]
[JsonDerivedType(typeof(BestWeightsSavedEntry), "best_weights_saved")]
[JsonDerivedType(typeof(BestWeightsDeletedEntry), "best_weights_deleted")]
[JsonDerivedType(typeof(BestWeightsRestoredEntry), "best_weights_restored")]
[JsonDerivedType(typeof(ResumeStateSavedEntry), "resume_state_saved")]
[JsonDerivedType(typeof(ResumeStateDeletedEntry), "resume_state_deleted")]
[JsonDerivedType(typeof(RunResumedEntry), "run_resumed")]
[JsonDerivedType(typeof(EpochLimitChangedEntry), "epoch_limit_changed")]
[JsonDerivedType(typeof(CallbackWarnedEntry), "callback_warned")]
[JsonDerivedType(typeof(RunRewoundEntry), "run_rewound")]
[JsonDerivedType(typeof(CheckpointCorruptedEntry), "checkpoint_corrupted")]
[JsonDerivedType(typeof(RunCompletedEntry), "run_completed")]
[JsonDerivedType(typeof(RunFailedEntry), "run_failed")]
[JsonDerivedType(typeof(OtherEntry), "other")]
public abstract record HistoryEntry
{
    /// <summary>The event's sequence number in the journal (1, 2, ...).</summary>
    [JsonPropertyOrder(-2)]
    public long Seq { get; init; }

    /// <summary>When the journal stored the event (UTC), if known.</summary>
    [JsonPropertyOrder(-1)]
    public DateTimeOffset? RecordedAt { get; init; }
}

/// <summary>What a recorded file's check found now: the file is there with the recorded SHA-256
/// (<see cref="Ok"/>), gone, different or unreadable; or it was not checked because the journal says it was
/// deleted, or saved again later under the same path (then the later entry is checked).</summary>
public static class FileCheck
{
    public const string Ok = "ok";
    public const string Missing = "missing";
    public const string Altered = "altered";
    public const string Unreadable = "unreadable";
    public const string Deleted = "deleted";
    public const string Replaced = "replaced";
    public const string Unchecked = "unchecked";

    /// <summary>A check that found a problem (shown in the text as <c>[missing]</c>, <c>[altered]</c>, <c>[unreadable]</c>).</summary>
    public static bool IsProblem(string check) => check is Missing or Altered or Unreadable;
}

/// <summary>A file a run recorded: the path as recorded, where it is looked for now (absolute;
/// in this run folder if it was moved), its recorded SHA-256 and size, and the check.</summary>
public sealed record RecordedFile(string Path, string ResolvedPath, string Sha256, long Bytes, string Check);

public sealed record RunStartedEntry(
    string RunId, int Workers, string Sync, long Seed, int Epochs, double InitialLr, int ParameterCount,
    string ConfigSha256, DateTimeOffset At) : HistoryEntry;

/// <summary>An epoch's logs. <see cref="Superseded"/>: a later rewind went back before it, so it was trained again.</summary>
public sealed record EpochEntry(
    int Epoch, double Lr, IReadOnlyDictionary<string, double> Logs, double Seconds, int Steps, long BytesSent,
    bool Superseded) : HistoryEntry;

public sealed record LrChangedEntry(int Epoch, double From, double To, string Reason, string Source, bool Superseded) : HistoryEntry;

public sealed record CheckpointSavedEntry(
    int Epoch, int? Batch, RecordedFile File, string Monitor, double? MonitorValue, string Kind) : HistoryEntry;

public sealed record CheckpointDeletedEntry(int Epoch, string Path, string ResolvedPath, string Reason) : HistoryEntry;

/// <summary>Training stopped; <see cref="Reason"/>'s "epoch N" counts from 0 like every field here (the text shows it from 1).</summary>
public sealed record TrainingStoppedEntry(int Epoch, int? Batch, string Kind, string Source, string Reason, bool Superseded) : HistoryEntry;

/// <summary>EarlyStopping's best weights so far were written (kept until they are restored).</summary>
public sealed record BestWeightsSavedEntry(int Epoch, RecordedFile File) : HistoryEntry;

/// <summary>The best weights of <see cref="Epoch"/> were superseded by a better epoch's, and their file deleted.</summary>
public sealed record BestWeightsDeletedEntry(int Epoch, string Path, string ResolvedPath) : HistoryEntry;

public sealed record BestWeightsRestoredEntry(int Epoch, string Source) : HistoryEntry;

public sealed record ResumeStateSavedEntry(int Epoch, IReadOnlyList<RecordedFile> Files) : HistoryEntry;

public sealed record ResumeStateDeletedEntry(int Epoch) : HistoryEntry;

/// <summary>The run went on in a new process from the state after <see cref="FromEpoch"/> (-1: from the start).</summary>
public sealed record RunResumedEntry(int FromEpoch, DateTimeOffset At) : HistoryEntry;

/// <summary><c>train --resume RUN --epochs N</c> changed the epoch limit.</summary>
public sealed record EpochLimitChangedEntry(int From, int To, DateTimeOffset At) : HistoryEntry;

/// <summary>A callback's warning (e.g. a monitored value that is not finite); the message counts epochs from 0, as files do.</summary>
public sealed record CallbackWarnedEntry(int Epoch, string Source, string Message) : HistoryEntry;

/// <summary>The run went back to the state after <see cref="ToEpoch"/> (-1: the start).</summary>
public sealed record RunRewoundEntry(int ToEpoch, string Reason) : HistoryEntry;

public sealed record CheckpointCorruptedEntry(string Path, string ResolvedPath, string ExpectedSha256, string Problem) : HistoryEntry;

/// <summary>The run finished (<see cref="Status"/>: completed or stopped) after <see cref="EpochsRun"/> epochs.</summary>
public sealed record RunCompletedEntry(
    RunStatus Status, int EpochsRun, FinalMetrics? Final, RecordedFile FinalModel, double WallSeconds) : HistoryEntry;

public sealed record RunFailedEntry(string Reason, int EpochsRun, double WallSeconds) : HistoryEntry;

/// <summary>
/// An event this history does not know how to show: <see cref="Event"/> is its type name (or its
/// manifest when this build could not decode it), <see cref="Data"/> its stored JSON, and
/// <see cref="Problem"/> why it could not be decoded, if it could not.
/// </summary>
public sealed record OtherEntry(string Event, string Manifest, JsonElement? Data, string? Problem) : HistoryEntry;
