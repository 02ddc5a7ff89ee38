using Coordinator.Actors.Events;
using Coordinator.Callbacks;
using Coordinator.Core.Reporting;
using Coordinator.Testing.Results;
using static Coordinator.Testing.Results.WorkerActivity;

namespace Coordinator.Testing.Tests;

/// <summary>
/// The supervisor's epoch barrier, broadcasts and failures, with simulated workers (these were test probes
/// playing workers by hand in Coordinator.Actors.Tests' EpochBarrierTests, which these replace).
/// </summary>
public sealed class SupervisorBehaviourTests
{
    private static readonly CallbackSettings[] Plateau = [new ReduceLrOnPlateauSettings { Monitor = "val_loss", Patience = 2, Factor = 0.5 }];

    [Fact]
    public void The_next_epoch_starts_only_when_every_worker_has_reported()
    {
        var result = Scenario.WithCallbacks().Metrics(Curves.Falling(3)).Workers(3)
            .SlowWorker(1, atEpoch: 0, takes: TimeSpan.FromMinutes(2)).Run();

        result.AssertCompleted();
        var slowReport = result.ActivityOf("worker-1").OfType<Reported>().First(r => r.Epoch == 0);
        Assert.Equal(TimeSpan.FromMinutes(2), slowReport.At);
        var secondEpoch = result.Activity.OfType<Started>().Where(s => s.Epoch == 1).ToList();
        Assert.Equal(3, secondEpoch.Count);
        Assert.All(secondEpoch, s => Assert.True(s.At >= slowReport.At, $"{s.Worker} started epoch 1 at {s.At}, before worker-1 reported epoch 0"));
    }

    [Fact]
    public void A_rate_change_reaches_every_worker_with_its_next_epoch()
    {
        var result = Scenario.WithCallbacks(Plateau).Metrics(Curves.FallThenRise(12, bestAt: 4)).Workers(3).Run();

        result.AssertRateChangedAt(6, 8, 10);
        foreach (var epoch in new[] { 7, 9, 11 })
        {
            var starts = result.Activity.OfType<Started>().Where(s => s.Epoch == epoch).ToList();
            Assert.Equal(3, starts.Count);
            Assert.All(starts, s => Assert.Equal(result.RateAt(epoch), s.LearningRate));
            Assert.Equal((float)(result.RateAt(epoch - 1) * 0.5), (float)result.RateAt(epoch));
        }
    }

    [Fact]
    public void A_NaN_batch_loss_stops_every_worker_after_that_batch()
    {
        var result = Scenario.WithCallbacks(new TerminateOnNaNSettings()).Metrics(Curves.Falling(5)).Workers(3).StepsPerEpoch(6)
            .NaNLoss(worker: 2, atEpoch: 1, atBatch: 2).Run();

        result.AssertStopped(atEpoch: 1, by: "terminate-on-nan");
        Assert.Equal(2, result.Stop!.Batch);
        Assert.Contains("invalid loss nan", result.Stop.Reason);
        Assert.Equal(RunStatus.Stopped, result.Status);
        // Every worker was told, and played batches 0 to 2 only.
        Assert.Equal(3, result.Activity.OfType<StopReceived>().Count(s => s.Epoch == 1));
        Assert.All(result.Activity.OfType<Reported>().Where(r => r.Epoch == 1), r => Assert.Equal(3, r.Steps));
        Assert.Equal(2, result.Epochs.Count);
    }

    [Fact]
    public void Scripted_batch_losses_reach_the_batch_callbacks_as_the_running_mean_keras_logs()
    {
        var script = Curves.Falling(4).WithBatchLosses(4, (epoch, batch) => epoch == 2 && batch == 1 ? double.PositiveInfinity : 1.0 / (1 + epoch + batch));
        var result = Scenario.WithCallbacks(new TerminateOnNaNSettings()).Metrics(script).Workers(3).Run();

        result.AssertStopped(atEpoch: 2, by: "terminate-on-nan");
        Assert.Equal(1, result.Stop!.Batch);
        var running = result.Progress.OfType<Actors.Protocol.RunProgress.StepsReported>().SelectMany(b => b.Steps.Select(s => (b.Epoch, s.Step, s.RunningLoss)));
        Assert.Equal([.. Enumerable.Range(0, 3).SelectMany(e => Enumerable.Range(0, e == 2 ? 2 : 4).Select(b => (e, b, script.Batches[e][b])))], running);
    }

    [Fact]
    public void Workers_a_step_ahead_of_the_stop_do_not_feed_the_callbacks_batches_after_it()
    {
        // Keras runs no batch callbacks after the batch that stopped training; real workers may still train a step or two.
        var result = Scenario.WithCallbacks(new TerminateOnNaNSettings(),
                new ModelCheckpointSettings("batch-{epoch:02d}-{batch:02d}.weights") { SaveFreqBatches = 1 })
            .Metrics(Curves.Falling(3)).Workers(2).StepsPerEpoch(6).StopLag(2)
            .NaNLoss(worker: 0, atEpoch: 1, atBatch: 2).Run();

        result.AssertStopped(atEpoch: 1, by: "terminate-on-nan");
        Assert.All(result.Activity.OfType<Reported>().Where(r => r.Epoch == 1), r => Assert.Equal(5, r.Steps));
        var epoch1 = result.Checkpoints.Where(c => c.Epoch == 1).Select(c => c.Batch).ToList();
        Assert.Equal([0, 1, 2], epoch1);
    }

    [Fact]
    public void A_silent_worker_fails_the_run_with_its_name_after_the_epoch_timeout()
    {
        var result = Scenario.WithCallbacks().Metrics(Curves.Falling(4)).Workers(3).EpochTimeout(TimeSpan.FromMinutes(5))
            .SlowWorker(2, atEpoch: 1, takes: TimeSpan.FromMinutes(30)).Run();

        result.AssertFailed("worker(s) worker-2 did not report epoch 2 within 300s (epoch-timeout)");
        Assert.Single(result.Epochs);
        Assert.Equal(TimeSpan.FromMinutes(30), result.VirtualTime);
    }

    [Fact]
    public void A_worker_that_stops_fails_the_run_when_min_workers_allows_no_loss()
    {
        var result = Scenario.WithCallbacks().Metrics(Curves.Falling(4)).Workers(2).LoseWorker(1, atEpoch: 0).Run();

        result.AssertFailed("worker worker-1 stopped").AssertFailed("min-workers = 2").AssertWorkerLost("worker-1", atEpoch: 0);
        Assert.Empty(result.Epochs);
    }

    [Fact]
    public void Superseded_best_weights_are_recorded_as_deleted_and_the_kept_ones_are_not()
    {
        var result = Scenario.WithCallbacks(new EarlyStoppingSettings { Monitor = "val_loss", Patience = 3, RestoreBestWeights = true })
            .Metrics(Curves.FallThenRise(12, bestAt: 4)).Workers(2).Run();

        result.AssertStopped(atEpoch: 7, by: "early-stopping");
        var saved = result.Events.OfType<RunEvents.BestWeightsSaved>().ToList();
        var deleted = result.Events.OfType<RunEvents.BestWeightsDeleted>().ToList();
        Assert.Equal([0, 1, 2, 3, 4], saved.Select(s => s.Epoch));
        // Each new best supersedes the one before: its file is deleted, and the journal says so.
        Assert.Equal(saved.SkipLast(1).Select(s => (s.Epoch, s.File.Path)), deleted.Select(d => (d.Epoch, d.Path)));
        // Recorded in the batch of the epoch whose best weights replaced them (before the next epoch's events).
        var events = result.Events.ToList();
        foreach (var d in deleted)
        {
            var successor = saved.Single(s => s.Epoch == d.Epoch + 1);
            Assert.Equal(events.IndexOf(successor) + 1, events.IndexOf(d));
        }
    }
}
