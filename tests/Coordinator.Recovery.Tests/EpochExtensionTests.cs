using Coordinator.Actors.TestSupport;
using Coordinator.Core.Reporting;
using Coordinator.Recovery.Tests.TestSupport;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Recovery.Tests;

/// <summary>
/// <c>train --resume RUN --epochs N</c>: the one change a resume takes. A run that ended at its epoch limit
/// goes on from its last epoch, with the callbacks' state of that epoch, and ends as a run started with N
/// epochs does; a run a callback stopped stays stopped (its callbacks' state says stop).
/// </summary>
[Collection(ProcessRunsB.Name)]
public sealed class EpochExtensionTests(ITestOutputHelper output)
{
    // digits.conf without EarlyStopping (so that the run ends at its limit), smaller.
    private static string Conf(TempFolder temp)
    {
        const string earlyStopping = "{ type = early-stopping, monitor = val_loss, patience = 8, restore-best-weights = true }";
        var text = DigitsConf.Text();
        Assert.Contains(earlyStopping, text);
        return temp.File("no-stop.conf", text.Replace(earlyStopping, "", StringComparison.Ordinal).Replace("hidden = [128]", "hidden = [32]", StringComparison.Ordinal));
    }

    [Fact]
    public void A_finished_run_extended_with_more_epochs_ends_as_a_run_started_with_them()
    {
        using var temp = new TempFolder("extend");
        var conf = Conf(temp);
        var run = temp.Combine("run");
        var first = CoordinatorProcess.Run(["train", "--config", conf, "--run-dir", run, "--epochs", "4"]);
        Assert.True(first.Exit == 0, first.ToString());
        Assert.Equal(RunStatus.Completed, FinishedRun.Read(run).Summary.Status);

        // Without --epochs, a finished run is refused, pointing to --epochs; with too few, too.
        var before = FolderSnapshot.Of(run);
        var plain = CoordinatorProcess.Run(["train", "--resume", run]);
        Assert.Equal(2, plain.Exit);
        Assert.Contains($"--resume {run} --epochs N", plain.Stderr);
        var fewer = CoordinatorProcess.Run(["train", "--resume", run, "--epochs", "4"]);
        Assert.Equal(2, fewer.Exit);
        Assert.Contains("--epochs = 4", fewer.Stderr);
        Assert.Equal(before, FolderSnapshot.Of(run));

        var extended = CoordinatorProcess.Run(["train", "--resume", run, "--epochs", "7"]);
        Assert.True(extended.Exit == 0, $"train --resume --epochs 7 failed: {extended}");
        Assert.Contains("epoch limit: 4 -> 7", extended.Stdout);
        Assert.Contains("resuming after epoch 4 (of 7)", extended.Stdout);

        var reference = CoordinatorProcess.Run(["train", "--config", conf, "--run-dir", temp.Combine("reference"), "--epochs", "7"]);
        Assert.True(reference.Exit == 0, reference.ToString());
        var expected = FinishedRun.Read(temp.Combine("reference"));
        var finished = FinishedRun.Read(run);
        Decisions.AssertSame(expected.Summary, finished.Summary, output);
        Assert.Equal(expected.FinalModelSha256, finished.FinalModelSha256);
        var change = Assert.Single(finished.Events.OfType<EpochLimitChanged>());
        Assert.Equal((4, 7), (change.From, change.To));
        Assert.Equal(3, Assert.Single(finished.Events.OfType<RunResumed>()).FromEpoch);
        Assert.Equal(Enumerable.Range(0, 7), finished.Events.OfType<EpochCompleted>().Select(e => e.Epoch));
        var history = CoordinatorProcess.Run(["history", run]);
        Assert.True(history.Exit == 0, history.ToString());
        Assert.Contains("epoch limit 4 -> 7", history.Stdout);
    }

    [Fact]
    public void A_run_a_callback_stopped_is_not_extended()
    {
        var reference = ReferenceRun.Get(); // stopped by EarlyStopping
        var before = FolderSnapshot.Of(reference.Folder);
        var result = CoordinatorProcess.Run(["train", "--resume", reference.Folder, "--epochs", "200"]);
        output.WriteLine(result.ToString());
        Assert.Equal(2, result.Exit);
        Assert.Contains("early-stopping", result.Stderr);
        Assert.Contains("stays as it is", result.Stderr);
        Assert.Contains($"coordinator train --config {Path.Combine(reference.Folder, "run.conf")} --run-dir NEW_FOLDER", result.Stderr); // the way on
        Assert.Equal(before, FolderSnapshot.Of(reference.Folder));
    }
}
