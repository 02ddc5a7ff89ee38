using System.Globalization;
using Coordinator.Configuration;

namespace Coordinator.Cli.Train;

/// <summary>A run's folder: <c>runs/&lt;run-id&gt;/</c> by default, never one that already holds something.</summary>
public static class RunFolder
{
    public const string JournalFile = "journal.db";
    public const string ConfigCopy = "run.conf";

    public static (string RunId, string Folder) Create(string? requested)
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
                    Directory.Exists(folder) && File.Exists(Path.Combine(folder, JournalFile))
                        ? "already holds a run; give a new folder (nothing in it was changed)"
                        : "is not empty; give a new or empty folder");
        }
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationError("--run-dir", requested ?? folder, $"cannot be created: {e.Message}");
        }
        return (Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar)), folder);
    }
}
