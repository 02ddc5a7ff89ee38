using Akka.TestKit.Xunit2;
using Coordinator.Actors.Protocol;
using Coordinator.Callbacks;
using Coordinator.Core.Model;
using Coordinator.Core.Reporting;
using Coordinator.Actors.Events;
using static Coordinator.Actors.Events.RunEvents;

using Coordinator.Actors.TestSupport;

namespace Coordinator.Actors.Tests;

/// <summary>Whole runs: real supervisor, real workers with real ring allreduce, on a tiny linear model.</summary>
public sealed class TrainingRunTests(Xunit.Abstractions.ITestOutputHelper output) : TestKit(TestConfig.Create(), "training-run", output)
{
    [Fact]
    public void A_short_run_completes_and_persists_its_decisions()
    {
        var run = new RunHarness(this, workers: 2, batchSize: 8, epochs: 4, callbacks: []);
        var (summary, progress) = run.Finish();

        Assert.Equal(RunStatus.Completed, summary.Status);
        Assert.Equal(4, summary.EpochsRun);
        Assert.True(summary.History[^1].Loss < summary.History[0].Loss, "the loss fell");
        Assert.Equal(4, progress.OfType<RunProgress.EpochSummarized>().Count());

        var events = run.Events();
        Assert.IsType<RunStarted>(events[0]);
        Assert.Equal([0, 1, 2, 3], events.OfType<EpochCompleted>().Select(e => e.Epoch));
        // Per step each worker sends 2(N-1) = 2 chunks of the 6-float vector [4 gradients, batch, stop]:
        // 3 floats (12 bytes) plus a 16-byte header each.
        Assert.All(events.OfType<EpochCompleted>(), e => Assert.Equal(e.Steps * 2 * (16 + 12), e.BytesSent));
        var completed = Assert.IsType<RunCompleted>(events[^1]);
        Assert.Equal("final.weights", completed.FinalModelPath); // relative to the run folder: the folder can move
        Assert.Equal(Core.Storage.AtomicFile.Sha256Of(run.InFolder(completed.FinalModelPath)), completed.FinalModelSha256);
    }

    [Fact]
    public void Replicas_are_identical_after_every_epoch_under_gradient_sync()
    {
        var run = new RunHarness(this, workers: 3, batchSize: 5, epochs: 3, callbacks: [], train: 100);
        var (_, progress) = run.Finish();
        Assert.DoesNotContain(progress.OfType<RunProgress.Warning>(), w => w.Message.Contains("differ"));
        var replicas = run.Factory.Made.Values.ToList();
        Assert.Equal(3, replicas.Count);
        Assert.All(replicas, r => Assert.Equal(replicas[0].Parameters, r.Parameters));
    }

    [Fact]
    public void Two_workers_with_batch_b_train_the_weights_of_one_worker_with_batch_2b()
    {
        var two = new RunHarness(this, workers: 2, batchSize: 6, epochs: 3, callbacks: [], train: 90);
        two.Finish();
        var one = new RunHarness(this, workers: 1, batchSize: 12, epochs: 3, callbacks: [], train: 90);
        one.Finish();

        var expected = one.Factory.Made[0].Parameters;
        Assert.All(two.Factory.Made.Values, r =>
        {
            for (var p = 0; p < expected.Count; p++) Assert.Equal(expected[p], r.Parameters[p], 1e-5);
        });
    }

    [Fact]
    public void Local_sgd_averages_the_parameters_at_every_epoch_end()
    {
        var run = new RunHarness(this, workers: 2, batchSize: 4, epochs: 2, callbacks: [], sync: SyncMode.Parameters, syncEvery: 3);
        var (summary, progress) = run.Finish();
        Assert.Equal(RunStatus.Completed, summary.Status);
        Assert.Equal(2, summary.EpochsRun);
        // The supervisor compares the members' parameter hashes at every epoch end and warns when they differ.
        Assert.DoesNotContain(progress.OfType<RunProgress.Warning>(), w => w.Message.Contains("differ"));
        var replicas = run.Factory.Made.Values.ToList();
        Assert.Equal(2, replicas.Count);
        Assert.Equal(replicas[0].Parameters, replicas[1].Parameters);
    }

    [Fact]
    public void Callbacks_decide_and_their_decisions_are_events()
    {
        // The loss is scripted: it falls for 3 epochs then stays flat, so the plateau and the stop act.
        var run = new RunHarness(this, workers: 2, batchSize: 8, epochs: 20, callbacks:
        [
            new ReduceLrOnPlateauSettings { Monitor = "loss", Patience = 1, Factor = 0.5 },
            new EarlyStoppingSettings { Monitor = "loss", Patience = 3, RestoreBestWeights = true },
            new ModelCheckpointSettings("ckpt-{epoch:02d}-{loss:.3f}.weights") { Monitor = "loss", SaveBestOnly = true },
        ], loss: (_, step, _) => Math.Max(1.0, 4.0 - step / 6 * 1.0));
        var (summary, _) = run.Finish();

        var events = run.Events();
        Assert.Equal(RunStatus.Stopped, summary.Status);
        var stop = Assert.Single(events.OfType<TrainingStopped>());
        Assert.Equal("NoImprovement", stop.Kind);
        Assert.NotEmpty(events.OfType<RunEvents.LearningRateChanged>());
        Assert.Equal(summary.LrChanges.Count, events.OfType<RunEvents.LearningRateChanged>().Count());
        var saved = events.OfType<CheckpointSaved>().ToList();
        Assert.NotEmpty(saved);
        Assert.All(saved, s => Assert.Equal(Core.Storage.AtomicFile.Sha256Of(run.InFolder(s.Path)), s.Sha256));
        Assert.Single(events.OfType<RunEvents.BestWeightsRestored>());
        Assert.Equal(summary.EpochsRun, events.OfType<EpochCompleted>().Count());
    }
}
