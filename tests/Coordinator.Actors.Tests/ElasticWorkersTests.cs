using Coordinator.Testing.Persistence;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Actors.TestSupport;
using Coordinator.Actors.Workers;
using Coordinator.Core;
using Coordinator.Core.Model;
using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Tests;

/// <summary>
/// Elastic membership with real workers (on <see cref="LinearReplica"/>s): a worker stopped mid-epoch
/// makes the supervisor abort the epoch (the others' threads are waiting in the allreduce), roll the
/// members back and train it again without it; a worker started mid-run joins at the next epoch with
/// the members' state; a run without restart budget fails, saying so. The global batch stays at the
/// configured size through all of it, so a disturbed run trains as an undisturbed one does.
/// </summary>
public sealed class ElasticWorkersTests() : TestKit(TestConfig.Create())
{
    private sealed record Run(IActorRef Supervisor, IActorRef Group, TestProbe Observer, SupervisorSettings Settings,
        WorkerSetup Setup, LinearReplicaFactory Factory);

    /// <param name="atStep">Called on a worker's training thread before each of its steps (worker index,
    /// its step count over the run): the tests act at an exact point of the run this way.</param>
    private Run Start(int workers, int minWorkers, int maxWorkers, int maxRestarts, Action<Run, int, int> atStep, int epochs = 5)
    {
        Run? run = null;
        var id = Guid.NewGuid().ToString("N")[..8];
        var setup = new WorkerSetup(0, 96, 32, 4 * workers, Seed: 7, Shuffle: true, SyncMode.Gradients, 4);
        var settings = new SupervisorSettings(id, Path.Combine(Path.GetTempPath(), "coordinator-elastic", id), workers, epochs,
            setup.Plan(workers).StepsPerEpoch, [], 0.05, "gradients", 7, "sha", TimeSpan.FromSeconds(20))
        {
            Membership = new MembershipLimits(minWorkers, maxWorkers, maxRestarts),
        };
        var observer = CreateTestProbe();
        var factory = new LinearReplicaFactory(features: 3, (worker, step, _) =>
        {
            atStep(run!, worker, step);
            return 0.5; // a constant loss: no callbacks watch it here
        });
        RunProgressSubscription.ForwardTo(Sys, id, observer);
        var supervisor = Sys.ActorOf(TrainingSupervisor.Props(settings, RunProgressPublisher.For(Sys, id)), $"supervisor-{id}");
        var group = Sys.ActorOf(WorkerGroup.Props(setup, Enumerable.Range(0, workers), factory, supervisor), $"workers-{id}");
        return run = new Run(supervisor, group, observer, settings, setup, factory);
    }

    // Stops a worker as a crash of its node would, from its own training thread: its peers are left
    // waiting for its allreduce chunks in the middle of the epoch.
    private void StopWorker(Run run, int index) => Sys.ActorSelection(run.Group.Path / WorkerSetup.ActorName(index)).Tell(PoisonPill.Instance);

    /// <summary>Collects what the observer is told until the run finishes; <paramref name="onProgress"/> sees each message first.</summary>
    private static (RunSummary Summary, List<object> Progress) Finish(Run run)
    {
        var progress = new List<object>();
        var finished = (RunProgress.RunFinished)run.Observer.FishForMessage(m =>
        {
            progress.Add(m);
            return m is RunProgress.RunFinished;
        }, TimeSpan.FromSeconds(60));
        return (finished.Summary, progress);
    }

    private IReadOnlyList<IRunEvent> Events(Run run)
    {
        var probe = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new EventReader(run.Settings.PersistenceId, probe)));
        return probe.ExpectMsg<EventReader.Replayed>(TimeSpan.FromSeconds(30)).Events;
    }

    private static readonly Action<Run, int, int> Undisturbed = (_, _, _) => { };

    // Each epoch's validation loss, which follows the replicas' parameters.
    private IReadOnlyList<double> ValLosses(Run run) =>
        Events(run).OfType<EpochCompleted>().OrderBy(e => e.Epoch).Select(e => e.Logs["val_loss"]).ToList();

    private static void SameTraining(IReadOnlyList<double> undisturbed, IReadOnlyList<double> disturbed)
    {
        Assert.Equal(undisturbed.Count, disturbed.Count);
        for (var e = 0; e < undisturbed.Count; e++)
            Assert.True(Math.Abs(undisturbed[e] - disturbed[e]) <= 1e-6 * Math.Max(1, Math.Abs(undisturbed[e])),
                $"epoch {e}: val_loss {disturbed[e]:R}, undisturbed {undisturbed[e]:R}");
    }

    private static IEnumerable<string> Warnings(List<object> progress) =>
        progress.OfType<RunProgress.Update>().Select(ProgressText.Warning).OfType<string>();

    [Fact]
    public void A_worker_stopped_mid_epoch_makes_the_others_train_that_epoch_again_without_it()
    {
        // 8 steps per epoch with 3 workers: step 17 is epoch 2's second.
        var run = Start(workers: 3, minWorkers: 2, maxWorkers: 3, maxRestarts: 1, (r, worker, step) =>
        {
            if (worker == 2 && step == 17) StopWorker(r, 2);
        });
        var (summary, progress) = Finish(run);

        Assert.True(summary.Status == RunStatus.Completed, $"{summary.Status}: {summary.Error}");
        Assert.Equal(5, summary.EpochsRun);
        Assert.DoesNotContain(Warnings(progress), w => w.Contains("differ")); // the two replicas stayed identical
        var events = Events(run);
        Assert.Equal([0, 1, 2, 3, 4], events.OfType<EpochCompleted>().Select(e => e.Epoch));
        var lost = Assert.Single(events.OfType<WorkerLost>());
        Assert.Equal(("worker-2", 2, 2), (lost.Worker, lost.Epoch, lost.Workers));
        Assert.Equal(new EpochRestarted(2, 2, 1, 1), Assert.Single(events.OfType<EpochRestarted>()));
        // From the restart on two workers shared the global batch of 12: still 96 / 12 steps per epoch,
        // and the same training as three workers' (the sums are only added up in another order).
        Assert.All(events.OfType<EpochCompleted>(), e => Assert.Equal(8, e.Steps));
        var undisturbed = Start(workers: 3, minWorkers: 2, maxWorkers: 3, maxRestarts: 1, Undisturbed);
        Assert.Equal(RunStatus.Completed, Finish(undisturbed).Summary.Status);
        SameTraining(ValLosses(undisturbed), ValLosses(run));
    }

    [Fact]
    public void Without_restart_budget_a_lost_worker_fails_the_run_and_says_why()
    {
        var run = Start(workers: 3, minWorkers: 2, maxWorkers: 3, maxRestarts: 0, (r, worker, step) =>
        {
            if (worker == 1 && step == 9) StopWorker(r, 1); // epoch 1
        });
        var (summary, _) = Finish(run);

        Assert.Equal(RunStatus.Failed, summary.Status);
        Assert.Contains("worker-1 stopped", summary.Error);
        Assert.Contains("the restart budget is used up (max-restarts = 0)", summary.Error);
        Assert.Empty(Events(run).OfType<EpochRestarted>());
    }

    [Fact]
    public void A_worker_started_mid_run_joins_at_the_next_epoch_with_the_members_state()
    {
        // 12 steps per epoch with 2 workers: worker 0's step 13 is in epoch 1, so the new worker
        // registers during epoch 1 (or as it ends) and joins at the next epoch boundary.
        var joinerSteps = 0;
        var run = Start(workers: 2, minWorkers: 2, maxWorkers: 3, maxRestarts: 0, (r, worker, step) =>
        {
            if (worker == 2) Interlocked.Increment(ref joinerSteps);
            if (worker == 0 && step == 13)
                Sys.ActorOf(TrainingWorker.Props(r.Setup with { Index = 2, Name = "late-worker" }, r.Factory, r.Supervisor), $"late-{r.Settings.RunId}");
        }, epochs: 6);
        var (summary, progress) = Finish(run);

        Assert.True(summary.Status == RunStatus.Completed, $"{summary.Status}: {summary.Error}");
        Assert.DoesNotContain(Warnings(progress), w => w.Contains("differ")); // the joiner loaded the members' state
        var events = Events(run);
        var join = Assert.Single(events.OfType<WorkerJoined>());
        Assert.Equal(("late-worker", 3), (join.Worker, join.Workers));
        Assert.InRange(join.Epoch, 2, 4);
        Assert.Empty(events.OfType<EpochRestarted>()); // joining uses up no restart (the budget here is 0)
        // Three members shared the global batch of 8 from the join on: 12 steps per epoch throughout, and
        // the same training as the two workers' alone.
        Assert.All(events.OfType<EpochCompleted>(), e => Assert.Equal(12, e.Steps));
        Assert.Equal((6 - join.Epoch) * 12, joinerSteps);
        var undisturbed = Start(workers: 2, minWorkers: 2, maxWorkers: 3, maxRestarts: 0, Undisturbed, epochs: 6);
        Assert.Equal(RunStatus.Completed, Finish(undisturbed).Summary.Status);
        SameTraining(ValLosses(undisturbed), ValLosses(run));
    }
}
