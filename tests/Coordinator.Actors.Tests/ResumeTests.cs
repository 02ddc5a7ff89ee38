using Akka.TestKit.Xunit2;
using Coordinator.Actors.Protocol;
using Coordinator.Callbacks;
using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

using Coordinator.Actors.TestSupport;

namespace Coordinator.Actors.Tests;

/// <summary>A run stopped at any point and continued by a new supervisor makes the same decisions.</summary>
public sealed class ResumeTests() : TestKit(TestConfig.Create())
{
    private static readonly CallbackSettings[] Callbacks =
    [
        new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 1, Factor = 0.5 },
        new EarlyStoppingSettings { Monitor = "loss", Patience = 4, RestoreBestWeights = true },
        new ModelCheckpointSettings("ckpt-{epoch:02d}-{loss:.3f}.weights") { Monitor = "loss", SaveBestOnly = true, SaveTopK = 2 },
    ];

    // Falls for a while, then wobbles: plateaus, checkpoints, top-k deletions and a stop all happen.
    // (6 steps per epoch: step / 6 is the epoch.)
    private static double Loss(int worker, int step, int n) => Math.Max(0.5, 3.0 / (1 + step / 6)) + (step / 6 % 3) * 0.05 + worker * 0.001;

    private RunHarness Run(string runId, int incarnation = 1, int snapshotEvery = 100) =>
        new(this, workers: 2, batchSize: 8, Callbacks, epochs: 30, loss: Loss, runId: runId, incarnation: incarnation, snapshotEvery: snapshotEvery);

    private static object Decisions(RunSummary s) => new
    {
        s.Status, s.EpochsRun, s.StoppedEpoch, s.StopReason, s.BestEpoch, s.Best,
        Lr = string.Join(";", s.LrChanges.Select(c => $"{c.Epoch}:{c.From}->{c.To}")),
        Checkpoints = string.Join(";", s.Checkpoints.Select(c => $"{c.Epoch}:{Path.GetFileName(c.Path)}:{c.Sha256}:{c.Deleted}")),
        History = string.Join(";", s.History.Select(h => $"{h.Epoch}:{h.Lr}:{h.Loss}:{h.ValLoss}")),
        s.Final,
    };

    [Theory]
    [InlineData(0, 100)]
    [InlineData(3, 100)]
    [InlineData(6, 100)]
    [InlineData(6, 4)] // recovers from a snapshot plus the events after it
    public void A_run_stopped_after_an_epoch_and_resumed_decides_as_the_uninterrupted_run(int stopAfter, int snapshotEvery)
    {
        var reference = Run("ref-" + Guid.NewGuid().ToString("N")[..6]);
        var (expected, _) = reference.Finish();
        Assert.Equal(RunStatus.Stopped, expected.Status);
        Assert.True(expected.EpochsRun > stopAfter + 2, $"the reference run should outlast the interruption ({expected.EpochsRun} epochs)");

        var id = "res-" + Guid.NewGuid().ToString("N")[..6];
        var first = Run(id, snapshotEvery: snapshotEvery);
        first.Observer.FishForMessage(m => m is RunProgress.EpochSummarized e && e.Epoch == stopAfter, TimeSpan.FromSeconds(30));
        first.Kill();
        var (resumed, _) = Run(id, incarnation: 2, snapshotEvery: snapshotEvery).Finish();

        Assert.Equal(Decisions(expected), Decisions(resumed));
        var events = first.Events();
        Assert.Single(events.OfType<RunResumed>());
        Assert.Empty(events.OfType<RunRewound>());
        // Each epoch's decisions are in the journal exactly once.
        Assert.Equal(events.OfType<EpochCompleted>().Select(e => e.Epoch).Distinct().Count(), events.OfType<EpochCompleted>().Count());
    }

    [Fact]
    public void A_corrupted_resume_state_is_recorded_and_the_run_falls_back_to_the_one_before()
    {
        var reference = Run("ref-" + Guid.NewGuid().ToString("N")[..6]);
        var (expected, _) = reference.Finish();

        var id = "cor-" + Guid.NewGuid().ToString("N")[..6];
        var first = Run(id);
        first.Observer.FishForMessage(m => m is RunProgress.EpochSummarized e && e.Epoch == 4, TimeSpan.FromSeconds(30));
        first.Kill();
        var newest = first.Events().OfType<ResumeStateSaved>().Last();
        var file = newest.Files[1].Path;
        var bytes = File.ReadAllBytes(first.InFolder(file));
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(first.InFolder(file), bytes);

        var (resumed, _) = Run(id, incarnation: 2).Finish();

        var events = first.Events();
        var corrupted = Assert.Single(events.OfType<CheckpointCorrupted>());
        Assert.Equal(file, corrupted.Path);
        Assert.Contains("altered", corrupted.Problem);
        Assert.Equal(newest.Epoch - 1, Assert.Single(events.OfType<RunRewound>()).ToEpoch);
        Assert.Equal(Decisions(expected), Decisions(resumed));
    }

    [Fact]
    public void A_finished_run_is_not_run_again()
    {
        var id = "fin-" + Guid.NewGuid().ToString("N")[..6];
        var run = Run(id);
        var (first, _) = run.Finish();
        var count = run.Events().Count;
        var (again, progress) = Run(id, incarnation: 2).Finish();

        Assert.Equal(Decisions(first), Decisions(again));
        Assert.DoesNotContain(progress, m => m is RunProgress.EpochBegan);
        Assert.Equal(count, run.Events().Count);
    }
}
