using System.Globalization;
using Coordinator.Configuration;

namespace Coordinator.Cli.Train;

/// <summary>A run's folder: <c>runs/&lt;run-id&gt;/</c> by default, never one that already holds something.</summary>
public static class RunFolder
{
    public const string JournalFile = "journal.db";
    public const string ConfigCopy = "run.conf";

    /// <param name="check">Checks made against the folder's path before it is created (a refusal leaves no folder).</param>
    public static (string RunId, string Folder) Create(string? requested, Action<string, string>? check = null)
    {
        string folder;
        if (requested is null)
        {
            var id = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..4];
            folder = Path.GetFullPath(Path.Combine("runs", id));
        }
        else
        {
            folder = Path.GetFullPath(requested);
            if (File.Exists(folder))
                throw new ConfigurationError("--run-dir", requested, "is a file; give a folder for the run");
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
                throw new ConfigurationError("--run-dir", requested,
                    File.Exists(Path.Combine(folder, ConfigCopy)) && !File.Exists(Path.Combine(folder, JournalFile))
                        ? $"holds a run that was stopped before it began (a {ConfigCopy}, no journal); start it with: coordinator train --resume {requested}, or give a new folder"
                    : !File.Exists(Path.Combine(folder, JournalFile)) ? "is not empty; give a new or empty folder"
                    : IsFinished(folder) ? "already holds a finished run; give a new folder (nothing in it was changed)"
                    : $"holds an unfinished run; continue it with: coordinator train --resume {requested}");
        }
        var runId = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        check?.Invoke(runId, folder);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationError("--run-dir", requested ?? folder, $"cannot be created: {e.Message}");
        }
        return (runId, folder);
    }

    /// <summary>
    /// Removes what a new run that never started left: its run.conf and its journal (which holds no event: the
    /// run's recovery failed before it could persist one), and the folder itself when this run created it.
    /// </summary>
    public static void RemoveUnstarted(string folder, bool removeFolder)
    {
        foreach (var name in new[] { ConfigCopy, JournalFile, JournalFile + "-journal", JournalFile + "-wal", JournalFile + "-shm" })
            File.Delete(Path.Combine(folder, name));
        if (removeFolder && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
    }

    /// <summary>A run is finished once its summary says completed or stopped (a failed run may be resumed).</summary>
    public static bool IsFinished(string folder)
    {
        var summary = Path.Combine(folder, Reporting.SummaryJson.FileName);
        if (!File.Exists(summary)) return false;
        try
        {
            return Reporting.SummaryJson.Read(summary).Status != Core.Reporting.RunStatus.Failed;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The configuration as the run uses it, saved in its folder: the original text, then the
    /// flags and the resolved data path, so that a resume reads exactly the same settings.
    /// </summary>
    public static string EffectiveConfig(string originalText, Core.RunSettings settings) =>
        originalText.TrimEnd() + "\n\n# Effective settings of this run (command-line flags, resolved paths):\n" +
        $"data.path = \"{settings.Data.Path.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"\n" +
        $"training.workers = {settings.Training.Workers}\n" +
        $"training.epochs = {settings.Training.Epochs}\n" +
        $"training.seed = {settings.Training.Seed.ToString(CultureInfo.InvariantCulture)}\n";
}
