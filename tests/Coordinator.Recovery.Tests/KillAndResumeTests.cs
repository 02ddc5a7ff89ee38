using Coordinator.Actors.TestSupport;
using Coordinator.Core.Storage;
using Coordinator.Recovery.Tests.TestSupport;
using Coordinator.Reporting;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests;

/// <summary>
/// The acceptance test of resume: the real executable, killed with SIGKILL at a chosen point and continued
/// with <c>train --resume DIR</c>, ends with the same decisions, files and metrics as an uninterrupted run.
/// </summary>
public abstract class KillAndResume(ITestOutputHelper output)
{
    protected static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Starts a run, lets <paramref name="killWhen"/> pick the moment, kills it, checks the folder,
    /// resumes it and compares with the reference run.</summary>
    protected KilledRun KillResumeAndCompare(string point, Action<CoordinatorProcess, string> killWhen,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var reference = ReferenceRun.Get();
        using var temp = new TempFolder("kill");
        var conf = DigitsConf.CopyTo(temp.Path);
        var runDir = temp.Combine("run");

        IReadOnlyList<string> console;
        using (var process = CoordinatorProcess.Start(["train", "--config", conf, "--run-dir", runDir], environment))
        {
            killWhen(process, runDir);
            Assert.False(process.HasExited, $"the run ended before it could be killed ({point}):\n{process.Stdout}");
            process.Kill();
            console = process.Lines;
        }

        var killed = KilledRun.Inspect(runDir, console);
        Output.WriteLine($"kill point {point}: {killed.Describe()}");
        killed.AssertJournalIntact();
        killed.AssertNoFinalNamedFileIsPartial(reference);
        // Every file an event names verifies.
        var unverified = killed.UnverifiedJournalFiles().ToList();
        Assert.True(unverified.Count == 0, "files named in the journal do not verify:\n  " + string.Join("\n  ", unverified));
        Assert.False(File.Exists(Path.Combine(runDir, SummaryJson.FileName)), "a killed run has no summary.json");

        var resumed = CoordinatorProcess.Run(["train", "--resume", runDir]);
        Assert.True(resumed.Exit == 0, $"train --resume failed: {resumed}");
        Assert.Contains(killed.JournalEpoch >= 0 ? $"resuming after epoch {killed.JournalEpoch + 1} " : "resuming run", resumed.Stdout);

        var finished = FinishedRun.Read(runDir);
        Decisions.AssertSame(reference.Summary, finished.Summary, Output);
        Assert.Equal(reference.FinalModelSha256, finished.FinalModelSha256);
        // The folder ends as the reference's did: the same checkpoints, resume states and best weights, byte for byte.
        RunFiles.AssertSameFinalFiles(reference, finished, Output);

        // The journal: one resume, from the last epoch the killed process persisted; every epoch once.
        var events = finished.Events;
        Assert.Equal(killed.JournalEpoch, Assert.Single(events.OfType<RunResumed>()).FromEpoch);
        Assert.Empty(events.OfType<RunRewound>());
        Assert.Empty(events.OfType<CheckpointCorrupted>());
        Assert.Equal(Enumerable.Range(0, finished.Summary.EpochsRun), events.OfType<EpochCompleted>().Select(e => e.Epoch));
        Assert.Single(events.OfType<RunCompleted>());

        var leftovers = ReferenceFilesWithPartial(runDir);
        if (leftovers.Count > 0) Output.WriteLine($"temporary files left behind by the killed process: {string.Join(", ", leftovers)}");
        return killed;
    }

    /// <summary>
    /// Polls <paramref name="folder"/> for a temporary file of an atomic write (<paramref name="prefix"/>*.partial-*)
    /// and returns with the process frozen (SIGSTOP) while that file is still there, so the SIGKILL that
    /// follows lands inside the write for certain, however late the poll saw it.
    /// </summary>
    protected static string WaitForPartialFileAndFreeze(CoordinatorProcess process, string folder, string prefix)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            Assert.False(process.HasExited, $"the run ended before a {prefix}*{AtomicFile.TemporaryMarker}* file appeared:\n{process.Stdout}");
            if (FindPartial(folder, prefix) is not null)
            {
                process.Freeze();
                if (FindPartial(folder, prefix) is { } frozen) return frozen;
                process.Thaw(); // renamed in between: wait for the next one
            }
            Thread.Sleep(5);
        }
        throw new TimeoutException($"no {prefix}*{AtomicFile.TemporaryMarker}* file appeared in {folder}");
    }

    private static string? FindPartial(string folder, string prefix)
    {
        try
        {
            return Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder).FirstOrDefault(f => Path.GetFileName(f) is var name &&
                    name.StartsWith(prefix, StringComparison.Ordinal) && name.Contains(AtomicFile.TemporaryMarker, StringComparison.Ordinal))
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static List<string> ReferenceFilesWithPartial(string runDir) =>
        FinishedRun.FilesIn(runDir, includePartial: true).Keys
            .Where(f => f.Contains(AtomicFile.TemporaryMarker, StringComparison.Ordinal)).ToList();
}

[Collection(ProcessRunsA.Name)]
public sealed class KillBetweenAndWithinEpochsTests(ITestOutputHelper output) : KillAndResume(output)
{
    // 10 ms a step (COORDINATOR_FAULT_STEP_DELAY_MS): an epoch takes at least 0.45 s, so a kill sent as a
    // line is read lands in the epoch after it even when a loaded machine delays the reading; the whole
    // run is otherwise done in about 2 s. The results do not depend on it.
    private static readonly Dictionary<string, string> SlowSteps = new() { [FaultInjection.StepDelayVariable] = "10" };

    /// <summary>(a) Right after the console shows epoch 5's line: its events are persisted (the line is
    /// printed after the batch), the next epoch has just begun.</summary>
    [Fact]
    public void Killed_right_after_the_console_shows_an_epoch_resumes_to_the_same_result()
    {
        var killed = KillResumeAndCompare("(a) after the line of epoch 5", (process, _) =>
            process.WaitForLine(l => l.StartsWith("Epoch 5/", StringComparison.Ordinal), Patience), SlowSteps);
        Assert.True(killed.JournalEpoch >= 4, $"the journal should hold epoch 5 (index 4) once its line was shown; it ends at {killed.JournalEpoch}");
    }

    /// <summary>(b) At a seeded random moment inside an epoch: a few tens of milliseconds after epoch k's
    /// line (an epoch takes at least 0.45 s here), with k and the delay drawn from a fixed seed.</summary>
    [Fact]
    public void Killed_mid_epoch_at_a_seeded_random_moment_resumes_to_the_same_result()
    {
        var random = new Random(20_251_129);
        var epoch = random.Next(6, 16); // 1-based, as printed
        var delay = random.Next(10, 90);
        var killed = KillResumeAndCompare($"(b) {delay} ms after the line of epoch {epoch}", (process, _) =>
        {
            process.WaitForLine(l => l.StartsWith($"Epoch {epoch}/", StringComparison.Ordinal), Patience);
            Thread.Sleep(delay);
        }, SlowSteps);
        Assert.True(killed.JournalEpoch >= epoch - 1, $"the journal should hold epoch {epoch}; it ends at index {killed.JournalEpoch}");
    }
}

/// <summary>(c) During a checkpoint write: COORDINATOR_FAULT_WRITE_DELAY_MS holds every atomic write 400 ms
/// between its temporary file and the rename; the process is killed while such a file exists.</summary>
[Collection(ProcessRunsA.Name)]
public sealed class KillDuringCheckpointWriteTests(ITestOutputHelper output) : KillAndResume(output)
{
    private static readonly Dictionary<string, string> SlowWrites = new() { [FaultInjection.WriteDelayVariable] = "400" };

    [Fact]
    public void Killed_while_a_model_checkpoint_is_being_written_leaves_no_partial_checkpoint_and_resumes_to_the_same_result()
    {
        string? partial = null;
        var killed = KillResumeAndCompare("(c) during a checkpoints/ckpt-* write after epoch 3", (process, runDir) =>
        {
            process.WaitForLine(l => l.StartsWith("Epoch 3/", StringComparison.Ordinal), Patience);
            partial = WaitForPartialFileAndFreeze(process, Path.Combine(runDir, "checkpoints"), "ckpt-");
        }, SlowWrites);
        Assert.Contains(Path.GetRelativePath(killed.Folder, partial!), killed.PartialFiles);
    }
}

[Collection(ProcessRunsB.Name)]
public sealed class KillDuringResumeStateWriteTests(ITestOutputHelper output) : KillAndResume(output)
{
    private static readonly Dictionary<string, string> SlowWrites = new() { [FaultInjection.WriteDelayVariable] = "400" };

    [Fact]
    public void Killed_while_the_resume_states_are_being_written_leaves_no_partial_state_and_resumes_to_the_same_result()
    {
        string? partial = null;
        var killed = KillResumeAndCompare("(c') during a state/resume-* write after epoch 3", (process, runDir) =>
        {
            process.WaitForLine(l => l.StartsWith("Epoch 3/", StringComparison.Ordinal), Patience);
            partial = WaitForPartialFileAndFreeze(process, Path.Combine(runDir, "state"), "resume-");
        }, SlowWrites);
        Assert.Contains(Path.GetRelativePath(killed.Folder, partial!), killed.PartialFiles);
    }
}
