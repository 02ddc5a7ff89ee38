using Coordinator.Actors.TestSupport;
using Coordinator.Core.Reporting;
using Coordinator.Recovery.Tests.TestSupport;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests;

/// <summary>
/// A run folder can be copied and renamed: events record paths relative to it, the run id comes from the
/// journal, and a resume never touches a file outside its own folder. Each case is killed mid-run, then
/// resumed where it was moved to, and must end as an uninterrupted run does.
/// </summary>
[Collection(ProcessRunsB.Name)]
public sealed class MovableRunFolderTests(ITestOutputHelper output)
{
    [Fact]
    public void A_copy_of_an_unfinished_run_resumes_alone_and_the_original_stays_byte_for_byte_as_it_was()
    {
        var reference = ReferenceRun.Get();
        using var temp = new TempFolder("copy");
        var original = temp.Combine("run");
        KilledAtEpoch.Run(DigitsConf.CopyTo(temp.Path), original, epoch: 4);
        var before = FolderSnapshot.Of(original);
        var copy = temp.Combine("elsewhere", "run");
        FolderSnapshot.Copy(original, copy);

        var resumed = CoordinatorProcess.Run(["train", "--resume", copy]);
        Assert.True(resumed.Exit == 0, $"train --resume of the copy failed: {resumed}");
        Assert.Contains("resuming after epoch", resumed.Stdout);

        Assert.Equal(before, FolderSnapshot.Of(original));
        var finished = FinishedRun.Read(copy);
        Decisions.AssertSame(reference.Summary, finished.Summary, output);
        Assert.Equal(reference.FinalModelSha256, finished.FinalModelSha256);
        // Every path the copy's journal recorded since is inside the copy, written relative to it.
        Assert.All(finished.Events.OfType<CheckpointSaved>(), c => Assert.False(Path.IsPathRooted(c.Path), c.Path));
        Assert.All(finished.Events.OfType<ResumeStateSaved>().SelectMany(r => r.Files), f => Assert.StartsWith("state/", f.Path));

        // The original, untouched, still resumes to the same end.
        var second = CoordinatorProcess.Run(["train", "--resume", original]);
        Assert.True(second.Exit == 0, $"train --resume of the original failed: {second}");
        Assert.Equal(reference.FinalModelSha256, FinishedRun.Read(original).FinalModelSha256);
    }

    [Fact]
    public void A_renamed_run_folder_resumes_as_the_same_run_in_the_same_journal()
    {
        var reference = ReferenceRun.Get();
        using var temp = new TempFolder("rename");
        var first = temp.Combine("first-name");
        KilledAtEpoch.Run(DigitsConf.CopyTo(temp.Path), first, epoch: 4);
        var renamed = temp.Combine("second-name");
        Directory.Move(first, renamed);

        var resumed = CoordinatorProcess.Run(["train", "--resume", renamed]);
        Assert.True(resumed.Exit == 0, $"train --resume of the renamed folder failed: {resumed}");
        Assert.Contains("resuming run first-name", resumed.Stdout);
        Assert.Contains("resuming after epoch", resumed.Stdout);

        var finished = FinishedRun.Read(renamed, runId: "first-name");
        Assert.Equal("first-name", finished.Summary.RunId);
        Assert.Single(finished.Events.OfType<RunStarted>());
        Assert.True(Assert.Single(finished.Events.OfType<RunResumed>()).FromEpoch >= 3, "the run went on from where it was killed");
        Decisions.AssertSame(reference.Summary, finished.Summary, output);
        Assert.Equal(reference.FinalModelSha256, finished.FinalModelSha256);
        Assert.Empty(SqliteJournal.Read(renamed, runId: "second-name")); // no second run in the journal
    }

    /// <summary>
    /// <see cref="OldRunFixture"/>, written by an older version: its journal records absolute paths into the
    /// folder it had then (read from the journal here). The original is put back at that place, a copy under
    /// another name is resumed: the original must not change, and the copy must end as an uninterrupted run
    /// of the same configuration does.
    /// </summary>
    [Fact]
    public void A_copy_of_a_run_folder_written_by_an_older_version_resumes_without_touching_the_folder_its_journal_names()
    {
        var recorded = SqliteJournal.Read(OldRunFixture.Folder).OfType<ResumeStateSaved>().First().Files[0].Path;
        Assert.True(Path.IsPathRooted(recorded), $"the fixture should record absolute paths, it records {recorded}");
        var originalPlace = Path.GetDirectoryName(Path.GetDirectoryName(recorded))!;
        Assert.Equal("old-run", Path.GetFileName(originalPlace));
        if (Directory.Exists(originalPlace)) Directory.Delete(originalPlace, recursive: true);
        using var temp = new TempFolder("old-copy");
        try
        {
            var text = OldRunFixture.CopyTo(originalPlace);
            var before = FolderSnapshot.Of(originalPlace);
            var copy = temp.Combine("moved-and-renamed");
            FolderSnapshot.Copy(originalPlace, copy);

            var resumed = CoordinatorProcess.Run(["train", "--resume", copy]);
            Assert.True(resumed.Exit == 0, $"train --resume of the old run's copy failed: {resumed}");
            Assert.Contains("resuming after epoch 2 ", resumed.Stdout);
            Assert.Contains("older version", resumed.Stdout);
            Assert.Equal(before, FolderSnapshot.Of(originalPlace));

            var referenceConf = temp.File("reference.conf", text);
            var referenceResult = CoordinatorProcess.Run(["train", "--config", referenceConf, "--run-dir", temp.Combine("reference")]);
            Assert.True(referenceResult.Exit == 0, $"the uninterrupted run failed: {referenceResult}");
            var reference = FinishedRun.Read(temp.Combine("reference"));
            var finished = FinishedRun.Read(copy, runId: "old-run");
            Assert.Equal(RunStatus.Completed, finished.Summary.Status);
            Decisions.AssertSame(reference.Summary, finished.Summary, output);
            Assert.Equal(reference.FinalModelSha256, finished.FinalModelSha256);
            Assert.Equal(reference.FinalFiles(), finished.FinalFiles());
        }
        finally
        {
            Directory.Delete(originalPlace, recursive: true);
        }
    }
}
