using Coordinator.Actors.TestSupport;
using Coordinator.Core.Storage;
using Coordinator.Recovery.Tests.TestSupport;
using Coordinator.Reporting;
using Coordinator.Reporting.Tests;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests;

/// <summary>
/// Ctrl+C: the real executable gets SIGINT mid-run. It ends with exit code 130 and a message saying the
/// run was interrupted and how to resume it; what the completed epochs wrote as they ended (the journal,
/// a csv-logger's rows, TensorBoard events) is there; and <c>--resume</c> finishes the run with every epoch
/// logged once.
/// </summary>
[Collection(ProcessRunsB.Name)]
public sealed class InterruptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    // 10 ms a step: an epoch takes at least 0.45 s, so the signal lands mid-run however loaded the machine.
    private static readonly Dictionary<string, string> SlowSteps = new() { [FaultInjection.StepDelayVariable] = "10" };

    [Fact]
    public void Ctrl_C_ends_train_with_exit_130_and_the_resume_command_and_the_run_resumes_to_the_end()
    {
        using var temp = new TempFolder("interrupt");
        var conf = temp.File("digits.conf", DigitsConf.Text().Replace("  { type = terminate-on-nan }\n",
            "  { type = terminate-on-nan }\n  { type = csv-logger, filename = \"log.csv\" }\n", StringComparison.Ordinal));
        var runDir = temp.Combine("run");

        int exit;
        string stdout;
        using (var process = CoordinatorProcess.Start(["train", "--config", conf, "--run-dir", runDir], SlowSteps))
        {
            process.WaitForLine(l => l.StartsWith("Epoch 3/", StringComparison.Ordinal), Patience);
            process.Interrupt();
            exit = process.WaitForExit(Patience);
            stdout = process.Stdout;
            output.WriteLine(stdout);
            output.WriteLine(process.Stderr);
        }

        Assert.Equal(130, exit);
        Assert.Contains("Run run interrupted (Ctrl+C); the epochs completed so far are kept in " + runDir, stdout);
        Assert.Contains("  resume it with: coordinator train --resume " + runDir, stdout);
        Assert.False(File.Exists(Path.Combine(runDir, SummaryJson.FileName)), "an interrupted run is unfinished: no summary.json");

        // Each completed epoch was logged as it ended.
        var kept = SqliteJournal.Read(runDir).OfType<EpochCompleted>().Select(e => e.Epoch).ToList();
        Assert.True(kept.Count >= 3, $"the journal holds {kept.Count} epochs; epoch 3's line was shown before the signal");
        Assert.Equal(kept, LoggedEpochs(runDir));
        Assert.Equal(kept.Select(e => (long)e), TensorBoardEpochs(runDir));

        // As if the process had ended after storing the last epoch and before appending its row: the resume says so.
        var log = Path.Combine(runDir, "log.csv");
        var rows = File.ReadAllText(log).Split("\r\n")[..^1];
        File.WriteAllText(log, string.Concat(rows[..^1].Select(r => r + "\r\n")));

        var resumed = CoordinatorProcess.Run(["train", "--resume", runDir]);
        Assert.True(resumed.Exit == 0, $"train --resume failed: {resumed}");
        Assert.Contains($"warning: csv-logger: {log} has no row for epoch {kept[^1] + 1} (the process ended after the epoch was stored, before its row was written)", resumed.Stdout);
        var finished = FinishedRun.Read(runDir);
        var epochs = Enumerable.Range(0, finished.Summary.EpochsRun).ToList();
        Assert.True(epochs.Count > kept.Count, $"the resumed run trained no epoch after {kept.Count}");
        Assert.Equal(epochs, finished.Events.OfType<EpochCompleted>().Select(e => e.Epoch));
        Assert.Equal(kept[^1], Assert.Single(finished.Events.OfType<RunResumed>()).FromEpoch);
        Assert.Equal(epochs.Where(e => e != kept[^1]), LoggedEpochs(runDir)); // one header, each epoch once (but the one cut)
        Assert.Equal(epochs.Select(e => (long)e), TensorBoardEpochs(runDir)); // two files now, read together
    }

    /// <summary>The csv-logger's epoch column, after checking there is exactly one header, at the top.</summary>
    private static List<int> LoggedEpochs(string runDir)
    {
        var lines = File.ReadAllText(Path.Combine(runDir, "log.csv")).Split("\r\n")[..^1];
        Assert.StartsWith("epoch,", lines[0]);
        Assert.DoesNotContain(lines.Skip(1), l => l.StartsWith("epoch", StringComparison.Ordinal));
        return lines.Skip(1).Select(l => int.Parse(l[..l.IndexOf(',')], System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    private static List<long> TensorBoardEpochs(string runDir) =>
        Directory.GetFiles(Path.Combine(runDir, "tensorboard", "train")).Order(StringComparer.Ordinal)
            .SelectMany(TensorBoardEventReader.Read).Where(e => e.Tag == "epoch_loss").Select(e => e.Step!.Value).Order().ToList();
}
