using Coordinator.Actors.TestSupport;
using Coordinator.Core.Reporting;
using Coordinator.Core.Storage;
using Coordinator.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests.TestSupport;

/// <summary>
/// The uninterrupted run every crash test compares with: <c>coordinator train --config digits.conf</c>
/// (seed 42, as shipped), run once per test process and shared by the tests that need it.
/// </summary>
public static class ReferenceRun
{
    private static readonly Lazy<FinishedRun> Run = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static FinishedRun Get() => Run.Value;

    private static FinishedRun Create()
    {
        var folder = new TempFolder("reference");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        var conf = DigitsConf.CopyTo(folder.Path);
        var runDir = folder.Combine("run");
        var result = CoordinatorProcess.Run(["train", "--config", conf, "--run-dir", runDir]);
        Assert.True(result.Exit == 0, $"the reference run failed: {result}");
        var run = FinishedRun.Read(runDir);
        // The run must exercise what the crash tests compare: plateaus, checkpoints, top-k deletions, an early stop.
        Assert.Equal(RunStatus.Stopped, run.Summary.Status);
        Assert.NotEmpty(run.Summary.LrChanges);
        Assert.Contains(run.Summary.Checkpoints, c => c.Deleted);
        Assert.True(run.Summary.EpochsRun >= 20, $"the reference run stopped after {run.Summary.EpochsRun} epochs; the kill points assume ~26");
        return run;
    }
}

/// <summary>A run folder after its process ended: summary.json, the journal, the files.</summary>
public sealed record FinishedRun(string Folder, RunSummary Summary, IReadOnlyList<IRunEvent> Events)
{
    public static FinishedRun Read(string runFolder, string? runId = null) =>
        new(runFolder, SummaryJson.Read(runFolder), SqliteJournal.Read(runFolder, runId));

    public string FinalModelSha256 => AtomicFile.Sha256Of(Path.Combine(Folder, "final.weights"));

    /// <summary>SHA-256 of every checkpoint and resume-state file the run ever wrote, by file name.</summary>
    public IReadOnlyDictionary<string, string> Sha256ByFileName =>
        Events.OfType<CheckpointSaved>().Select(c => (c.Path, c.Sha256))
            .Concat(Events.OfType<ResumeStateSaved>().SelectMany(r => r.Files.Select(f => (f.Path, f.Sha256))))
            .Concat(Events.OfType<BestWeightsSaved>().Select(b => (b.File.Path, b.File.Sha256)))
            .GroupBy(x => Path.GetFileName(x.Path))
            .ToDictionary(g => g.Key, g => g.Last().Sha256);

    /// <summary>SHA-256 of the best weights as written after each epoch that improved.</summary>
    public IReadOnlyDictionary<int, string> BestWeightsSha256ByEpoch =>
        Events.OfType<BestWeightsSaved>().GroupBy(b => b.Epoch).ToDictionary(g => g.Key, g => g.Last().File.Sha256);

    /// <summary>The files left in checkpoints/ and state/ (relative path -> SHA-256), leftover temporary files apart.</summary>
    public IReadOnlyDictionary<string, string> FinalFiles() => FilesIn(Folder, includePartial: false);

    public static IReadOnlyDictionary<string, string> FilesIn(string runFolder, bool includePartial) =>
        new[] { "checkpoints", "state" }
            .Select(sub => Path.Combine(runFolder, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Where(f => includePartial || !Path.GetFileName(f).Contains(AtomicFile.TemporaryMarker, StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(runFolder, f), AtomicFile.Sha256Of);
}
