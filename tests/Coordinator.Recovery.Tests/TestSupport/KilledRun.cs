using System.Text.RegularExpressions;
using Coordinator.Actors.State;
using Coordinator.Actors.Supervision;
using Coordinator.Core.Storage;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests.TestSupport;

/// <summary>
/// A run folder right after its process was killed: what the journal holds, what the console had shown,
/// and how the files relate to both.
/// </summary>
public sealed partial class KilledRun
{
    private KilledRun(string folder, IReadOnlyList<IRunEvent> events, IReadOnlyList<string> console)
    {
        Folder = folder;
        Events = events;
        State = SqliteJournal.Fold(events);
        JournalEpoch = State.Epochs.Count == 0 ? -1 : State.Epochs[^1].Epoch;
        ConsoleEpoch = console.Select(l => EpochLine().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value) - 1)
            .DefaultIfEmpty(-1).Max();
        PartialFiles = ReferenceFiles(includePartial: true).Keys.Where(IsPartial).ToList();
    }

    public string Folder { get; }

    public IReadOnlyList<IRunEvent> Events { get; }

    public RunState State { get; }

    /// <summary>The last epoch whose events are in the journal (-1: none).</summary>
    public int JournalEpoch { get; }

    /// <summary>The last epoch whose line the console showed (-1: none).</summary>
    public int ConsoleEpoch { get; }

    /// <summary>Temporary files of atomic writes cut short (relative paths).</summary>
    public IReadOnlyList<string> PartialFiles { get; }

    public static KilledRun Inspect(string runFolder, IReadOnlyList<string> console) =>
        new(runFolder, SqliteJournal.Read(runFolder), console);

    /// <summary>Files named by the journal's current state that do not verify (path -> problem).</summary>
    public IReadOnlyDictionary<string, string> UnverifiedJournalFiles()
    {
        var named = State.Checkpoints.Where(c => !c.Deleted).Select(c => new StoredFile(c.Saved.Path, c.Saved.Sha256, c.Saved.Bytes))
            .Concat(State.ResumeStates.SelectMany(r => r.Files))
            .Concat(State.BestWeights is { } b ? [b.File] : []);
        return named.Select(f => (f.Path, Problem: FileCheck.Problem(f, Folder))).Where(x => x.Problem is not null)
            .ToDictionary(x => Relative(x.Path), x => x.Problem!);
    }

    /// <summary>Final-named files whose epoch the journal does not have yet (written just before the kill).</summary>
    public IReadOnlyList<string> FilesAheadOfJournal()
    {
        var ahead = ReferenceFiles(includePartial: false).Keys.Where(f => !NamedByJournal.Contains(f) && !DeletedByJournal(f)).ToList();
        if (State.BestWeights is { } best && File.Exists(Path.Combine(Folder, best.File.Path)) && FileCheck.Problem(best.File, Folder) is not null)
            ahead.Add(Relative(best.File.Path) + " (newer than the journal's BestWeightsSaved of epoch " + best.Epoch + ")");
        return ahead;
    }

    /// <summary>Files the journal records as deleted that are still on disk (the process died before deleting them).</summary>
    public IReadOnlyList<string> FilesDeletedByJournalStillThere() => ReferenceFiles(includePartial: false).Keys.Where(DeletedByJournal).ToList();

    private HashSet<string> NamedByJournal =>
        State.Checkpoints.Where(c => !c.Deleted).Select(c => c.Saved.Path)
            .Concat(State.ResumeStates.SelectMany(r => r.Files.Select(f => f.Path)))
            .Concat(State.BestWeights is { } b ? [b.File.Path] : []).Select(Relative).ToHashSet();

    // Events record paths relative to the run folder (absolute in journals of older versions).
    private string Relative(string recorded) => Path.GetRelativePath(Folder, Path.Combine(Folder, recorded));

    private bool DeletedByJournal(string file) =>
        !NamedByJournal.Contains(file) &&
        (State.Checkpoints.Any(c => c.Deleted && Relative(c.Saved.Path) == file) ||
         RunFiles.DeletedResumeStateEpoch(file, Events) is not null);

    /// <summary>
    /// No file under a final name is partial or wrong: each has exactly the bytes the reference run wrote
    /// under that name (training is deterministic; best weights are written once per epoch, best-eNNNN.weights).
    /// </summary>
    public void AssertNoFinalNamedFileIsPartial(FinishedRun reference)
    {
        var known = reference.Sha256ByFileName;
        var problems = new List<string>();
        foreach (var (file, sha) in ReferenceFiles(includePartial: false))
        {
            var name = Path.GetFileName(file);
            if (!known.TryGetValue(name, out var expected))
                problems.Add($"{file}: a name the reference run never wrote");
            else if (expected != sha)
                problems.Add($"{file}: sha256 {sha}, the reference wrote {expected} (partial or altered)");
        }
        Assert.True(problems.Count == 0, "files under final names are partial or wrong:\n  " + string.Join("\n  ", problems));
    }

    /// <summary>The journal is intact: started once, epochs 0..N each exactly once, no end recorded.</summary>
    public void AssertJournalIntact()
    {
        Assert.Single(Events.OfType<RunStarted>());
        var epochs = Events.OfType<EpochCompleted>().Select(e => e.Epoch).ToList();
        Assert.Equal(Enumerable.Range(0, epochs.Count), epochs);
        Assert.Empty(Events.OfType<RunCompleted>());
        Assert.Empty(Events.OfType<RunFailed>());
    }

    public string Describe()
    {
        var unverified = UnverifiedJournalFiles();
        return $"journal: epochs 0..{JournalEpoch} (epoch {JournalEpoch + 2} in flight, 1-based); console showed up to epoch {ConsoleEpoch + 1}; " +
               $"partial files: [{string.Join(", ", PartialFiles)}]; final-named files ahead of the journal: [{string.Join(", ", FilesAheadOfJournal())}]; " +
               $"files the journal records as deleted, still on disk: [{string.Join(", ", FilesDeletedByJournalStillThere())}]; " +
               $"journal-named files that do not verify: [{string.Join(", ", unverified.Select(u => $"{u.Key}: {u.Value}"))}]";
    }

    private static bool IsPartial(string file) => Path.GetFileName(file).Contains(AtomicFile.TemporaryMarker, StringComparison.Ordinal);

    private IReadOnlyDictionary<string, string> ReferenceFiles(bool includePartial) => FinishedRun.FilesIn(Folder, includePartial);

    [GeneratedRegex(@"^Epoch (\d+)/\d+ ")]
    private static partial Regex EpochLine();
}
