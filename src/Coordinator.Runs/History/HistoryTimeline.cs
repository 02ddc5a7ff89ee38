using System.Text.Json;
using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.History;

/// <summary>A run's history: its id and folder, and one typed entry per journal event, in order.</summary>
public sealed record RunHistory(string RunId, string RunFolder, string PersistenceId, IReadOnlyList<HistoryEntry> Entries);

/// <summary>
/// Turns a run's journal entries into <see cref="HistoryEntry"/> values: paths resolved against the
/// run folder (also when the folder was moved), recorded files checked against their SHA-256,
/// and entries a later rewind superseded marked so. Pure apart from the file check it is given.
/// </summary>
public static class HistoryTimeline
{
    /// <summary>Checks a file against its recorded SHA-256: <see cref="FileCheck.Ok"/>,
    /// <see cref="FileCheck.Missing"/> or <see cref="FileCheck.Altered"/>.</summary>
    public delegate string FileVerifier(string path, string expectedSha256);

    /// <summary>Builds the history; <paramref name="verify"/> null: files are not checked (<see cref="FileCheck.Unchecked"/>).</summary>
    public static RunHistory Build(RunJournalContents journal, FileVerifier? verify)
    {
        var entries = journal.Entries;
        var runId = entries.Select(e => e.Event).OfType<RunStarted>().FirstOrDefault()?.RunId
                    ?? (journal.PersistenceId.StartsWith("run-", StringComparison.Ordinal) ? journal.PersistenceId["run-".Length..] : RunJournal.RunIdOf(journal.RunFolder));
        var folder = journal.RunFolder;
        var cache = new Dictionary<(string, string), string>();

        RecordedFile File(string recorded, string sha, long bytes, string? fate)
        {
            var resolved = ResolvePath(recorded, folder, runId);
            string check;
            if (fate is not null) check = fate;
            else if (verify is null) check = FileCheck.Unchecked;
            else if (!cache.TryGetValue((resolved, sha), out check!)) cache[(resolved, sha)] = check = verify(resolved, sha);
            return new RecordedFile(recorded, resolved, sha, bytes, check);
        }

        var (fates, rewoundBelow) = LookAhead(entries);
        var result = new List<HistoryEntry>(entries.Count);
        var epochs = new SortedSet<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var superseded = rewoundBelow[i];
            var fate = fates[i];

            HistoryEntry item;
            switch (entry.Event)
            {
                case RunStarted s:
                    item = new RunStartedEntry(s.RunId, s.Workers, s.Sync, s.Seed, s.Epochs, s.InitialLearningRate, s.ParameterCount, s.ConfigSha256, s.At);
                    break;
                case EpochCompleted c:
                    epochs.Add(c.Epoch);
                    item = new EpochEntry(c.Epoch, c.LearningRate, c.Logs, c.Seconds, c.Steps, c.BytesSent, c.Epoch > superseded);
                    break;
                case LearningRateChanged c:
                    item = new LrChangedEntry(c.Epoch, c.From, c.To, c.Reason, c.Source, c.Epoch > superseded);
                    break;
                case CheckpointSaved s:
                    item = new CheckpointSavedEntry(s.Epoch, s.Batch, File(s.Path, s.Sha256, s.Bytes, fate), s.Monitor, s.MonitorValue, s.Kind);
                    break;
                case CheckpointDeleted d:
                    item = new CheckpointDeletedEntry(d.Epoch, d.Path, ResolvePath(d.Path, folder, runId), d.Reason);
                    break;
                case TrainingStopped s:
                    item = new TrainingStoppedEntry(s.Epoch, s.Batch, s.Kind, s.Source, EpochNumbering.ToFile(s.Reason), s.Epoch > superseded);
                    break;
                case BestWeightsSaved b:
                    item = new BestWeightsSavedEntry(b.Epoch, File(b.File.Path, b.File.Sha256, b.File.Bytes, fate));
                    break;
                case BestWeightsDeleted d:
                    item = new BestWeightsDeletedEntry(d.Epoch, d.Path, ResolvePath(d.Path, folder, runId));
                    break;
                case BestWeightsRestored r:
                    item = new BestWeightsRestoredEntry(r.Epoch, r.Source);
                    break;
                case ResumeStateSaved r:
                    item = new ResumeStateSavedEntry(r.Epoch, r.Files.Select(f => File(f.Path, f.Sha256, f.Bytes, fate)).ToList());
                    break;
                case ResumeStateDeleted d:
                    item = new ResumeStateDeletedEntry(d.Epoch);
                    break;
                case RunResumed r:
                    item = new RunResumedEntry(r.FromEpoch, r.At);
                    break;
                case CallbackWarned w:
                    item = new CallbackWarnedEntry(w.Epoch, w.Source, EpochNumbering.ToFile(w.Message));
                    break;
                case EpochLimitChanged c:
                    item = new EpochLimitChangedEntry(c.From, c.To, c.At);
                    break;
                case RunRewound r:
                    epochs.RemoveWhere(e => e > r.ToEpoch);
                    item = new RunRewoundEntry(r.ToEpoch, r.Reason);
                    break;
                case CheckpointCorrupted c:
                    item = new CheckpointCorruptedEntry(c.Path, ResolvePath(c.Path, folder, runId), c.ExpectedSha256, c.Problem);
                    break;
                case RunCompleted c:
                    item = new RunCompletedEntry(c.Status, epochs.Count, c.Final,
                        File(c.FinalModelPath, c.FinalModelSha256, c.FinalModelBytes, fate), c.WallSeconds);
                    break;
                case RunFailed f:
                    item = new RunFailedEntry(f.Reason, epochs.Count, f.WallSeconds);
                    break;
                case UnrecognizedEvent u:
                    item = new OtherEntry(u.Manifest, entry.Manifest, ParseJson(entry.Json), u.Problem);
                    break;
                default:
                    item = new OtherEntry(entry.Event.GetType().Name, entry.Manifest, ParseJson(entry.Json), null);
                    break;
            }
            result.Add(item with { Seq = entry.SequenceNr, RecordedAt = entry.RecordedAt });
        }
        return new RunHistory(runId, folder, journal.PersistenceId, result);
    }

    /// <summary>
    /// What the journal says happens later to the files each entry records (null: nothing, the
    /// file should still be there; <see cref="FileCheck.Deleted"/>: the run deleted it;
    /// <see cref="FileCheck.Replaced"/>: the run wrote the same path again), and for each entry the
    /// lowest epoch a later rewind went back to (entries of later epochs were trained again).
    /// </summary>
    private static (string?[] Fates, int[] RewoundBelow) LookAhead(IReadOnlyList<JournalEntry> entries)
    {
        var fates = new string?[entries.Count];
        var rewoundBelow = new int[entries.Count];
        var nextForPath = new Dictionary<string, string>(StringComparer.Ordinal);
        var nextForResumeEpoch = new Dictionary<int, string>();
        var lowestRewind = int.MaxValue;
        // Journals written before BestWeightsDeleted existed: the supervisor deleted the previous best
        // weights whenever it saved new ones under another name, without an event.
        var deletionsRecorded = entries.Any(e => e.Event is BestWeightsDeleted);
        string? laterBestWeights = null;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            rewoundBelow[i] = lowestRewind;
            switch (entries[i].Event)
            {
                case CheckpointSaved s:
                    fates[i] = nextForPath.GetValueOrDefault(s.Path);
                    nextForPath[s.Path] = FileCheck.Replaced;
                    break;
                case CheckpointDeleted d:
                    nextForPath[d.Path] = FileCheck.Deleted;
                    break;
                case BestWeightsSaved b:
                    fates[i] = nextForPath.GetValueOrDefault(b.File.Path)
                               ?? (!deletionsRecorded && laterBestWeights is not null && laterBestWeights != b.File.Path ? FileCheck.Deleted : null);
                    nextForPath[b.File.Path] = FileCheck.Replaced;
                    laterBestWeights = b.File.Path;
                    break;
                case BestWeightsDeleted d:
                    nextForPath[d.Path] = FileCheck.Deleted;
                    break;
                case RunCompleted c:
                    fates[i] = nextForPath.GetValueOrDefault(c.FinalModelPath);
                    nextForPath[c.FinalModelPath] = FileCheck.Replaced;
                    break;
                case ResumeStateSaved r:
                    fates[i] = nextForResumeEpoch.GetValueOrDefault(r.Epoch);
                    nextForResumeEpoch[r.Epoch] = FileCheck.Replaced;
                    break;
                case ResumeStateDeleted d:
                    nextForResumeEpoch[d.Epoch] = FileCheck.Deleted;
                    break;
                case RunRewound r:
                    lowestRewind = Math.Min(lowestRewind, r.ToEpoch);
                    break;
            }
        }
        return (fates, rewoundBelow);
    }

    /// <summary>
    /// Where a recorded file is now: a relative path is relative to the run folder; an absolute
    /// one inside the run folder is kept; an absolute one with the run id as a folder name (the run
    /// folder, since moved or copied) is taken relative to this run folder; anything else as recorded.
    /// </summary>
    public static string ResolvePath(string recorded, string runFolder, string runId) =>
        new Actors.State.RunPaths(runFolder, runId).Resolve(recorded);

    /// <summary>The path to show: relative to the run folder when inside it, else as it is.</summary>
    public static string DisplayPath(string path, string runFolder) => new Actors.State.RunPaths(runFolder, "").Display(path);

    private static JsonElement? ParseJson(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json, HistoryJsonContext.Default.String);
        }
    }
}
