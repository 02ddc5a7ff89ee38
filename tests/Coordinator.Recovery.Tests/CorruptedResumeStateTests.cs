using Coordinator.Actors.TestSupport;
using Coordinator.Recovery.Tests.TestSupport;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests;

/// <summary>
/// A resume state altered on disk after a crash is detected by its SHA-256 when the run resumes: the
/// journal records CheckpointCorrupted and RunRewound, the run continues from the resume state before,
/// and it still ends with the reference run's decisions.
/// </summary>
[Collection(ProcessRunsB.Name)]
public sealed class CorruptedResumeStateTests(ITestOutputHelper output)
{
    [Fact]
    public void A_flipped_byte_in_the_newest_resume_state_is_detected_and_the_run_falls_back_to_the_one_before()
    {
        var reference = ReferenceRun.Get();
        using var temp = new TempFolder("corrupt");
        var conf = DigitsConf.CopyTo(temp.Path);
        var runDir = temp.Combine("run");

        IReadOnlyList<string> console;
        using (var process = CoordinatorProcess.Start(["train", "--config", conf, "--run-dir", runDir]))
        {
            process.WaitForLine(l => l.StartsWith("Epoch 6/", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
            process.Kill();
            console = process.Lines;
        }
        var killed = KilledRun.Inspect(runDir, console);
        output.WriteLine($"killed: {killed.Describe()}");
        var newest = killed.State.LatestResumeState ?? throw new InvalidOperationException("the killed run saved no resume state");
        Assert.True(killed.State.ResumeStates.Count >= 2, "the one before the newest resume state should still be there");
        var file = newest.Files[^1].Path; // relative to the run folder
        var bytes = File.ReadAllBytes(Path.Combine(runDir, file));
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(runDir, file), bytes);
        output.WriteLine($"flipped byte {bytes.Length / 2} of {file} (epoch {newest.Epoch}, {bytes.Length} bytes)");

        var resumed = CoordinatorProcess.Run(["train", "--resume", runDir]);
        Assert.True(resumed.Exit == 0, $"train --resume failed: {resumed}");
        Assert.Contains($"warning: {file} is altered", resumed.Stdout);
        Assert.Contains($"resuming after epoch {newest.Epoch} ", resumed.Stdout); // 1-based: the epoch before the newest

        var finished = FinishedRun.Read(runDir);
        var corrupted = Assert.Single(finished.Events.OfType<CheckpointCorrupted>());
        Assert.Equal(file, corrupted.Path);
        Assert.Equal(newest.Files[^1].Sha256, corrupted.ExpectedSha256);
        Assert.Contains("altered", corrupted.Problem);
        Assert.Equal(newest.Epoch - 1, Assert.Single(finished.Events.OfType<RunRewound>()).ToEpoch);
        Assert.Equal(newest.Epoch - 1, Assert.Single(finished.Events.OfType<RunResumed>()).FromEpoch);

        Decisions.AssertSame(reference.Summary, finished.Summary, output);
        Assert.Equal(reference.FinalModelSha256, finished.FinalModelSha256);
        RunFiles.AssertSameFinalFiles(reference, finished, output);
        // After the rewind the epochs from the newest on were trained again: each is in the run's state once.
        var state = SqliteJournal.Fold(finished.Events);
        Assert.Equal(Enumerable.Range(0, finished.Summary.EpochsRun), state.Epochs.Select(e => e.Epoch));
    }
}
