using System.Diagnostics;
using Coordinator.Actors.TestSupport;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Core.Storage;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cluster.Tests.Failover;

/// <summary>
/// Real `coordinator node` processes on loopback, a real PostgreSQL journal, and kill -9: the run
/// survives losing a worker's process or the supervisor's, and takes a worker that starts mid-run.
/// The times from a kill to training going on are written to the test output (failure detection:
/// heartbeat 1 s, unreachable after 4 s of silence, downed 2 s later).
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class FailoverTests(ReferenceAccuracy reference, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    private static bool EpochLine(string line) => line.StartsWith("Epoch ", StringComparison.Ordinal);

    [PostgresFact]
    public void A_worker_killed_mid_epoch_leaves_the_run_to_the_others()
    {
        using var cluster = new LocalClusterRun();
        var (active, _) = cluster.StartSupervisors();
        // The victim is slow (50 ms a step: an epoch takes it 1.5 s, and the others wait for it), so the
        // kill, sent as the line of epoch 5 appears and epoch 6 begins, lands mid-epoch, not between epochs.
        var slow = new Dictionary<string, string> { [FaultInjection.StepDelayVariable] = "50" };
        var workers = new[] { cluster.StartWorker(extra: slow), cluster.StartWorker(), cluster.StartWorker() };
        active.WaitForLine(l => l.StartsWith("Epoch 5/", StringComparison.Ordinal), Long);

        var mark = active.Lines.Count;
        var clock = Stopwatch.StartNew();
        workers[0].Kill();
        active.WaitForLine(l => l.StartsWith("restarting epoch", StringComparison.Ordinal), Long, mark);
        var restarted = clock.Elapsed;
        active.WaitForLine(EpochLine, Long, active.Lines.Count);
        var goingOn = clock.Elapsed;
        output.WriteLine($"worker killed -> epoch restarted: {restarted.TotalSeconds:0.0}s; -> first epoch completed after: {goingOn.TotalSeconds:0.0}s");

        Assert.Equal(0, active.WaitForExit(Long));
        var events = cluster.Events();
        LocalClusterRunChecks(events, cluster);
        var lost = Assert.Single(events.OfType<WorkerLost>());
        var restart = Assert.Single(events.OfType<EpochRestarted>());
        Assert.Equal((lost.Epoch, 2, 1, 2), (restart.Epoch, restart.Workers, restart.Restart, restart.MaxRestarts));
    }

    [PostgresFact]
    public void The_standby_takes_over_when_the_supervisors_process_is_killed()
    {
        using var cluster = new LocalClusterRun();
        var (active, standby) = cluster.StartSupervisors();
        for (var i = 0; i < 3; i++) cluster.StartWorker();
        active.WaitForLine(l => l.StartsWith("Epoch 5/", StringComparison.Ordinal), Long);

        var mark = standby.Lines.Count;
        var clock = Stopwatch.StartNew();
        active.Kill();
        standby.WaitForLine(l => l.StartsWith("recovered ", StringComparison.Ordinal), Long, mark);
        var recovered = clock.Elapsed;
        standby.WaitForLine(EpochLine, Long, mark);
        var decided = clock.Elapsed;
        output.WriteLine($"supervisor killed -> standby recovered the run: {recovered.TotalSeconds:0.0}s; -> its first decision (an epoch completed): {decided.TotalSeconds:0.0}s");

        Assert.Equal(0, standby.WaitForExit(Long));
        var events = cluster.Events();
        LocalClusterRunChecks(events, cluster);
        Assert.NotEmpty(events.OfType<RunResumed>());
    }

    [PostgresFact]
    public void A_worker_started_mid_run_joins_at_the_next_epoch()
    {
        using var cluster = new LocalClusterRun(workers: 2);
        var (active, _) = cluster.StartSupervisors();
        // 5 ms a step (45 steps an epoch): the run lasts long enough for a process started at epoch 3 to
        // build its replica and join well before the early stop (at epoch 20), however loaded the machine.
        var paced = new Dictionary<string, string> { [FaultInjection.StepDelayVariable] = "5" };
        cluster.StartWorker(extra: paced);
        cluster.StartWorker(extra: paced);
        active.WaitForLine(l => l.StartsWith("Epoch 3/", StringComparison.Ordinal), Long);

        cluster.StartWorker();
        var joined = active.WaitForLine(l => l.Contains(" joined: 3 workers from epoch", StringComparison.Ordinal), Long);
        output.WriteLine(joined);

        Assert.Equal(0, active.WaitForExit(Long));
        var events = cluster.Events();
        LocalClusterRunChecks(events, cluster);
        var join = events.OfType<WorkerJoined>().Last();
        Assert.Equal(3, join.Workers);
        Assert.Empty(events.OfType<EpochRestarted>()); // joining uses up no restart
    }

    private void LocalClusterRunChecks(IReadOnlyList<IRunEvent> events, LocalClusterRun cluster)
    {
        ClusterAssertions.CompletedWithEachEpochOnce(events);
        var accuracy = LocalClusterRun.FinalValAccuracy(cluster.RunFolder);
        var undisturbed = reference.For(cluster.Workers);
        output.WriteLine($"final val_accuracy {accuracy:0.0000}; undisturbed {undisturbed:0.0000}");
        ClusterAssertions.AsGoodAsUndisturbed(accuracy, undisturbed);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterProcesses : ICollectionFixture<ReferenceAccuracy>
{
    // One cluster at a time: several nodes and PostgreSQL already share the 2 cores.
    public const string Name = "cluster processes";
}
