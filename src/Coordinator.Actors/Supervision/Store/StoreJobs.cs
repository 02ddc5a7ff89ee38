using Coordinator.Actors.State;
using Coordinator.Callbacks;
using Coordinator.Core.Storage;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision.Store;

/// <summary>
/// The supervisor's file work, as functions of the store run by <see cref="AsyncCheckpointStore"/>. They
/// return what the supervisor needs (a stored file, problems, warnings to report); an I/O error of a write
/// or read that the run needs propagates (the supervisor fails the run with it).
/// </summary>
internal static class StoreJobs
{
    public static StoredFile Write(ICheckpointStore store, RunPaths paths, string path, byte[] data)
    {
        try
        {
            var (sha, bytes) = store.Write(path, data);
            return new StoredFile(paths.Record(path), sha, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"could not write {path} to the checkpoint store: {e.Message}", e);
        }
    }

    /// <summary>What is wrong with each file of the resume states, newest state first, up to the first whose files all verify.</summary>
    public static IReadOnlyDictionary<string, string?> CheckResumeStates(ICheckpointStore store, RunPaths paths, IReadOnlyList<IReadOnlyList<StoredFile>> candidates)
    {
        var problems = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var files in candidates)
        {
            foreach (var f in files) problems[f.Path] = store.Problem(paths.Resolve(f.Path), f.Sha256, f.Bytes);
            if (files.All(f => problems[f.Path] is null)) break;
        }
        return problems;
    }

    /// <summary>The resume state of <paramref name="epoch"/>, one entry per file (rank r takes file r mod files), or [null]
    /// for the run's starting state (-1).</summary>
    public static byte[]?[] ReadStates(ICheckpointStore store, RunPaths paths, RunState run, int epoch)
    {
        try
        {
            var saved = epoch < 0 ? null : run.ResumeStates.FirstOrDefault(r => r.Epoch == epoch)
                ?? throw new InvalidOperationException($"there is no resume state of epoch {epoch + 1} to go on from");
            return saved is null ? [null] : saved.Files.Select(f => (byte[]?)store.Read(paths.Resolve(f.Path))).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new IOException($"the state to go on from could not be read: {e.Message}", e);
        }
    }

    /// <summary>The weights to restore at the end: the best weights if they verify, else the newest valid regular checkpoint.</summary>
    public static BestWeightsLookup FindBestWeights(ICheckpointStore store, RunPaths paths, RunState run, StoredFile best)
    {
        var path = paths.Resolve(best.Path);
        var problem = store.Problem(path, best.Sha256, best.Bytes);
        if (problem is not null)
        {
            var fallback = run.Checkpoints.LastOrDefault(c => !c.Deleted && c.Saved.Kind == "regular" &&
                                                              store.Problem(paths.Resolve(c.Saved.Path), c.Saved.Sha256, c.Saved.Bytes) is null);
            if (fallback is null) return new BestWeightsLookup(problem, path, false, null, null);
            path = paths.Resolve(fallback.Saved.Path);
        }
        try
        {
            return new BestWeightsLookup(problem, path, true, store.Read(path), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new BestWeightsLookup(problem, path, true, null, e.Message);
        }
    }

    // Deletes a file an event names. Never outside the run folder (a copied folder's journal must not
    // reach the original's files), except a checkpoint the user placed there with an absolute filepath.
    public static IReadOnlyList<string> Delete(ICheckpointStore store, RunPaths paths, IEnumerable<(string Recorded, bool UserPlacedAllowed)> files)
    {
        var warnings = new List<string>();
        foreach (var (recorded, userPlacedAllowed) in files)
        {
            var path = paths.Resolve(recorded);
            if (!paths.IsInside(path) && !userPlacedAllowed)
            {
                warnings.Add($"{path} is outside the run folder {paths.Folder}; it was not deleted");
                continue;
            }
            try
            {
                store.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"could not delete {path}: {e.Message}");
            }
        }
        return warnings;
    }

    // A crash can leave files behind: one a stored batch says is deleted, a checkpoint or resume
    // state whose batch was never stored, a temporary file of an interrupted write. The journal
    // names every file the run still needs; in the run's own folders, the rest goes.
    public static IReadOnlyList<string> RemoveFilesTheJournalDoesNotKeep(ICheckpointStore store, RunPaths paths, RunState run, SupervisorSettings s)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in run.Checkpoints.Where(c => !c.Deleted)) keep.Add(paths.Resolve(c.Saved.Path));
        foreach (var f in run.ResumeStates.SelectMany(r => r.Files)) keep.Add(paths.Resolve(f.Path));
        if (run.BestWeights is { } best) keep.Add(paths.Resolve(best.File.Path));
        var stale = new[] { s.CheckpointFolder, s.StateFolder }.SelectMany(store.List).Where(f => !keep.Contains(Path.GetFullPath(f)));
        return Delete(store, paths, stale.Select(f => (f, false)).ToList());
    }

    // A CSV logger's row, once the epoch it logs is stored (a crash before that trains the epoch
    // again, which must not log it twice). A relative file name is inside the run folder.
    public static IReadOnlyList<string> AppendLogLines(ICheckpointStore store, SupervisorSettings s, IReadOnlyList<LogLineWriteRequested> lines)
    {
        var warnings = new List<string>();
        foreach (var line in lines)
        {
            var path = LogPath(s, line.Path);
            try
            {
                store.AppendLog(path, line.Header, line.Row, line.Truncate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"{line.Source}: could not write {path}: {e.Message}");
            }
        }
        return warnings;
    }

    // A row is appended just after its epoch is stored: a process that ended in between left it out.
    // It cannot be written again (the callbacks' logs of that epoch are gone), so say so.
    public static IReadOnlyList<string> MissingLogRows(ICheckpointStore store, SupervisorSettings s, int lastStoredEpoch)
    {
        var warnings = new List<string>();
        foreach (var logger in s.Callbacks.OfType<CsvLoggerSettings>())
        {
            var path = LogPath(s, logger.Filename);
            var lastRow = CsvLogRows.LastEpoch(ReadText(store, path), logger.Separator);
            if (lastRow < lastStoredEpoch)
                warnings.Add(
                    $"{logger.Type}: {path} has no row for epoch {lastRow + 2}{(lastStoredEpoch > lastRow + 1 ? $" to {lastStoredEpoch + 1}" : "")} " +
                    "(the process ended after the epoch was stored, before its row was written); history.csv will have it");
        }
        return warnings;
    }

    private static string ReadText(ICheckpointStore store, string path)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(store.Read(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string LogPath(SupervisorSettings s, string filename) => Path.IsPathRooted(filename) ? filename : Path.Combine(s.RunFolder, filename);
}

/// <summary>Where the weights to restore at the end come from.</summary>
/// <param name="Problem">What is wrong with the best weights' file (null: nothing).</param>
/// <param name="Path">The file the weights come from (or would have).</param>
/// <param name="Found">False: the best weights are damaged and no valid checkpoint is left.</param>
public sealed record BestWeightsLookup(string? Problem, string Path, bool Found, byte[]? Weights, string? ReadError);
