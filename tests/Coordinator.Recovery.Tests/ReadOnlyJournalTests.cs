using Coordinator.Actors.TestSupport;
using System.Diagnostics;
using Coordinator.Core.Reporting;
using Coordinator.Core.Storage;
using Coordinator.Recovery.Tests.TestSupport;
using Coordinator.Reporting;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests;

/// <summary>
/// A real journal fault under the real executable: journal.db becomes unwritable in the middle of a run.
/// As root (this machine, CI) file modes do not stop writes, so the file is made immutable with
/// <c>chattr +i</c> (ext4, tmpfs and most Linux file systems; needs CAP_LINUX_IMMUTABLE): every write to it
/// fails, through the connections SQLite already holds open too, and SQLite reports 'disk I/O error'.
/// (A full tmpfs mounted as the run folder was the other option; it fails the checkpoint writes first,
/// since they are larger than the journal's rows, so it tests the workers rather than the journal.)
/// </summary>
[Collection(ProcessRunsB.Name)]
public sealed class ReadOnlyJournalTests(ITestOutputHelper output)
{
    [Fact]
    public void An_unwritable_journal_fails_the_run_clearly_and_train_resume_continues_it_once_the_fault_is_gone()
    {
        var reference = ReferenceRun.Get();
        using var temp = new TempFolder("readonly");
        var conf = DigitsConf.CopyTo(temp.Path);
        var runDir = temp.Combine("run");
        var journal = Path.Combine(runDir, "journal.db");

        CoordinatorProcess.Result failed;
        // Writes held 100 ms each: an epoch takes ~0.5 s, so the fault lands well inside the run.
        using (var process = CoordinatorProcess.Start(["train", "--config", conf, "--run-dir", runDir],
                   new Dictionary<string, string> { [FaultInjection.WriteDelayVariable] = "100" }))
        {
            process.WaitForLine(l => l.StartsWith("Epoch 3/", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
            Chattr("+i", journal);
            try
            {
                var exit = process.WaitForExit(TimeSpan.FromMinutes(2));
                failed = new CoordinatorProcess.Result(exit, process.Stdout, process.Stderr);
            }
            finally
            {
                Chattr("-i", journal);
            }
        }
        output.WriteLine(failed.ToString());
        var failedSummary = SummaryJson.Read(runDir);

        // The events written before the fault are intact: epochs 0..n-1 once each, no end recorded.
        var before = SqliteJournal.Read(runDir);
        var written = before.OfType<EpochCompleted>().Select(e => e.Epoch).ToList();
        Assert.Equal(Enumerable.Range(0, written.Count), written);
        Assert.InRange(written.Count, 3, reference.Summary.EpochsRun - 1);
        Assert.Empty(before.OfType<RunCompleted>());

        // With the fault gone, train --resume continues from the last epoch written and ends as the reference.
        var resumed = CoordinatorProcess.Run(["train", "--resume", runDir]);
        Assert.True(resumed.Exit == 0, $"train --resume failed: {resumed}");
        var finished = FinishedRun.Read(runDir);
        Decisions.AssertSame(reference.Summary, finished.Summary, output);
        Assert.Equal(reference.FinalModelSha256, finished.FinalModelSha256);
        Assert.Equal(written.Count - 1, Assert.Single(finished.Events.OfType<RunResumed>()).FromEpoch);
        Assert.Equal(Enumerable.Range(0, finished.Summary.EpochsRun), finished.Events.OfType<EpochCompleted>().Select(e => e.Epoch));
        output.WriteLine($"resumed after epoch {written.Count} and ended as the reference run");

        // How the fault was reported: a failed exit, the journal named on the console and in summary.json,
        // with the history written so far.
        Assert.Equal(1, failed.Exit); // ExitCodes.Failed
        Assert.Equal(RunStatus.Failed, failedSummary.Status);
        Assert.Contains("error:       the journal could not be written (EpochCompleted", failed.Stdout);
        Assert.StartsWith("the journal could not be written (EpochCompleted", failedSummary.Error);
        Assert.Equal(written.Count, failedSummary.EpochsRun);
    }

    private static void Chattr(string flag, string file)
    {
        var info = new ProcessStartInfo("chattr") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add(flag);
        info.ArgumentList.Add(file);
        Process chattr;
        try
        {
            chattr = Process.Start(info) ?? throw new InvalidOperationException("chattr did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"this test needs chattr (e2fsprogs) and root: {e.Message}", e);
        }
        using var _ = chattr;
        var error = chattr.StandardError.ReadToEnd();
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0,
            $"chattr {flag} {file} failed ({error.Trim()}): this test needs root (CAP_LINUX_IMMUTABLE) and a file system with the immutable flag");
    }
}
