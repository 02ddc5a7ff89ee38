using Coordinator.Cli.Hosting;
using Coordinator.Testing.Persistence;
using Coordinator.Actors.TestSupport;
using Coordinator.Core.Reporting;
using Coordinator.Core.Storage;
using Coordinator.Reporting;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Tests;

/// <summary>A run that EarlyStopping ends: status stopped, the best weights restored into final.weights.</summary>
public sealed class EarlyStopTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_early_stop_ends_the_run_as_stopped_with_the_best_weights_restored()
    {
        // min-delta = 1 on val_loss (about 0.6 after the first epoch): no epoch after the first improves,
        // so with patience 1 EarlyStopping stops after epoch 1 and restores epoch 0's weights.
        var conf = _temp.File("stop.conf", TestFiles.DigitsConfText(t => TestFiles.ReplaceOnce(t,
            "type = early-stopping, monitor = val_loss, patience = 8,", "type = early-stopping, monitor = val_loss, patience = 1, min-delta = 1,")));
        var folder = _temp.Combine("run");
        var result = Cli.Run("train", "--config", conf, "--run-dir", folder, "--epochs", "10");
        Assert.True(result.Exit == ExitCodes.Ok, $"exit {result.Exit}\n{result.Err}");

        var summary = SummaryJson.Read(folder);
        output.WriteLine(File.ReadAllText(Path.Combine(folder, SummaryJson.FileName)));
        Assert.Equal(RunStatus.Stopped, summary.Status);
        Assert.Equal(2, summary.EpochsRun);
        Assert.Equal(1, summary.StoppedEpoch);
        Assert.Contains("val_loss", summary.StopReason);
        Assert.Equal(0, summary.BestEpoch);
        // One numbering in summary.json (from 0, the stop reason's sentence too); the screen counts from 1.
        Assert.EndsWith("at epoch 0)", summary.StopReason);
        Assert.Matches(@"\n  best: +val_loss [0-9.]+ at epoch 1\n", result.Out);
        Assert.Contains("  stopped:     " + summary.StopReason![..^"at epoch 0)".Length] + "at epoch 1)", result.Out);
        Assert.Equal(summary.History[0].ValLoss, summary.Best);
        // The model kept is epoch 0's: evaluated again at the end, its val_loss is epoch 0's.
        Assert.Equal(summary.History[0].ValLoss, summary.Final!.ValLoss, 1e-9);

        var events = JournalEvents.Read(AkkaConfig.ForSqlite(Path.Combine(folder, "journal.db"), null), $"run-{summary.RunId}");
        var stopped = Assert.Single(events.OfType<TrainingStopped>());
        Assert.Equal(1, stopped.Epoch);
        var restored = Assert.Single(events.OfType<BestWeightsRestored>());
        Assert.Equal(0, restored.Epoch);
        var completed = Assert.IsType<RunCompleted>(events[^1]);
        Assert.Equal(RunStatus.Stopped, completed.Status);
        Assert.True(events.ToList().IndexOf(restored) < events.Count - 1);

        // final.weights is bitwise the checkpoint of the restored epoch.
        var best = summary.Checkpoints.Single(c => c.Epoch == 0);
        Assert.False(best.Deleted);
        Assert.Equal(best.Sha256, completed.FinalModelSha256);
        Assert.Equal(best.Sha256, AtomicFile.Sha256Of(Path.Combine(folder, "final.weights")));
    }
}
