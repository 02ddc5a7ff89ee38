namespace Coordinator.Actors.State;

/// <summary>
/// Paths as events record them, and the run folder's own files. A run folder can be moved or copied,
/// so events record files inside it relative to it (<c>state/resume-e0003-w0.state</c>); a file a
/// user placed elsewhere (an absolute ModelCheckpoint filepath) is recorded absolute, as written.
/// Journals written before paths were relative hold absolute paths into the folder the run had then:
/// one inside this folder is taken as it is, one with the run id as a folder name (that old run
/// folder, since moved or copied) is taken relative to this folder, anything else as recorded.
/// </summary>
public sealed record RunPaths(string Folder, string RunId)
{
    /// <summary>A local run's SQLite journal, in its folder.</summary>
    public const string JournalFile = "journal.db";

    /// <summary>The run's copy of its configuration (the overrides applied).</summary>
    public const string ConfigFile = "run.conf";

    /// <summary>The files and folders a run owns: no checkpoint may be written over them.</summary>
    public static readonly IReadOnlyList<string> OwnedFiles = [JournalFile, ConfigFile, "summary.json", "history.csv", "training.png", "final.weights"];

    public static readonly IReadOnlyList<string> OwnedFolders = ["state", "tensorboard"];

    public string Folder { get; } = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Folder));

    /// <summary>Where ModelCheckpoint's relative file names go.</summary>
    public string CheckpointFolder => Path.Combine(Folder, "checkpoints");

    /// <summary>The absolute path of a recorded one (see the type's summary for older journals).</summary>
    public string Resolve(string recorded)
    {
        if (string.IsNullOrEmpty(recorded)) return recorded;
        if (!Path.IsPathRooted(recorded)) return Path.GetFullPath(Path.Combine(Folder, recorded));
        var full = Path.GetFullPath(recorded);
        if (IsInside(full)) return full;
        var parts = full.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (parts.Length < 2 || string.IsNullOrEmpty(RunId)) return full;
        var at = Array.LastIndexOf(parts, RunId, parts.Length - 2);
        return at >= 0 ? Path.Combine([Folder, .. parts[(at + 1)..]]) : full;
    }

    /// <summary>The form an event records: relative to the run folder when inside it, else absolute.</summary>
    public string Record(string path)
    {
        var full = Path.GetFullPath(path);
        return IsInside(full) ? Path.GetRelativePath(Folder, full) : full;
    }

    /// <summary>True when <paramref name="path"/> (absolute) lies inside the run folder.</summary>
    public bool IsInside(string path) =>
        Path.GetFullPath(path).StartsWith(Folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>True when the resolved form of <paramref name="recorded"/> lies outside the run folder:
    /// a place the user chose (an absolute ModelCheckpoint filepath).</summary>
    public bool IsUserPlaced(string recorded) => !IsInside(Resolve(recorded));

    /// <summary>The path to show: relative to the run folder when inside it, else as it is.</summary>
    public string Display(string recorded)
    {
        var full = Resolve(recorded);
        return IsInside(full) ? Path.GetRelativePath(Folder, full) : full;
    }

    /// <summary>
    /// Where a ModelCheckpoint file name goes, or why it may not go there: a relative name resolves in
    /// <c>checkpoints/</c> and may not leave the run folder; an absolute one stays where it says; neither
    /// may name a file or folder the run owns (its journal, run.conf, summary, final weights, resume states).
    /// </summary>
    public (string? Path, string? Problem) CheckpointTarget(string name) => Target(name, CheckpointFolder, checkpointsOwned: false);

    /// <summary>
    /// Where a CSV logger's file name goes, or why it may not: as <see cref="CheckpointTarget"/>, but a
    /// relative name resolves in the run folder itself, and <c>checkpoints/</c> is ModelCheckpoint's (a
    /// resume removes the files there that the journal does not keep).
    /// </summary>
    public (string? Path, string? Problem) LogTarget(string name) => Target(name, Folder, checkpointsOwned: true);

    private (string? Path, string? Problem) Target(string name, string relativeTo, bool checkpointsOwned)
    {
        if (string.IsNullOrWhiteSpace(name)) return (null, "names no file");
        if (name.EndsWith('/') || name.EndsWith(Path.DirectorySeparatorChar)) return (null, "names a folder, not a file");
        var full = Path.GetFullPath(Path.IsPathRooted(name) ? name : Path.Combine(relativeTo, name));
        if (full == Folder || full == CheckpointFolder) return (null, "names the run folder itself");
        if (!Path.IsPathRooted(name) && !IsInside(full))
            return (null, $"resolves to {full}, outside the run folder; a relative path must stay inside it (or give an absolute path)");
        if (IsInside(full))
        {
            var relative = Path.GetRelativePath(Folder, full);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (OwnedFolders.Contains(first) || OwnedFiles.Contains(relative) || relative.StartsWith(JournalFile + "-", StringComparison.Ordinal))
                return (null, $"names {relative}, which the run itself owns (its journal, configuration, summary, final weights, resume states)");
            if (checkpointsOwned && first == "checkpoints")
                return (null, $"names {relative}, in ModelCheckpoint's folder (a resume removes the files there that the journal does not keep)");
        }
        return (full, null);
    }
}
