using System.Diagnostics;
using Coordinator.Core.Storage;
using Xunit.Abstractions;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cluster.Tests.Failover;

/// <summary>
/// The nodes as compose places them, each worker in its own network namespace with its own address;
/// one worker's link is cut mid-run. The majority side (both supervisor nodes and two workers) downs
/// it (keep-majority) and trains on; the cut-off node, alone on its side, downs itself and exits.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class NetworkPartitionTests(ReferenceAccuracy reference, ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [NetworkNamespacesFact]
    public void A_worker_cut_off_from_the_network_is_downed_and_the_run_goes_on()
    {
        using var network = new NetworkNamespaces(3);
        using var cluster = new LocalClusterRun(supervisorHost: network.HostAddress);
        var (active, _) = cluster.StartSupervisors();
        // Worker 0 is slow (50 ms a step), so the cut, made as epoch 6 begins, lands mid-epoch.
        var slow = new Dictionary<string, string> { [FaultInjection.StepDelayVariable] = "50" };
        var workers = Enumerable.Range(0, 3)
            .Select(i => cluster.StartWorker(network.Address(i), network.Wrapper(i), i == 0 ? slow : null)).ToList();
        active.WaitForLine(l => l.StartsWith("Epoch 5/", StringComparison.Ordinal), Long);

        var mark = active.Lines.Count;
        var clock = Stopwatch.StartNew();
        network.CutOff(0);
        active.WaitForLine(l => l.StartsWith("restarting epoch", StringComparison.Ordinal), Long, mark);
        output.WriteLine($"link cut -> epoch restarted without the worker: {clock.Elapsed.TotalSeconds:0.0}s");

        var exit = active.WaitForExit(Long);
        Assert.True(exit == 0, $"the active supervisor node exited {exit}\nstdout:\n{active.Stdout}\nstderr:\n{active.Stderr}");
        Assert.NotEqual(0, workers[0].WaitForExit(Long)); // removed from the cluster: it stops on its own
        var events = cluster.Events();
        ClusterAssertions.CompletedWithEachEpochOnce(events);
        Assert.Contains(network.Address(0), Assert.Single(events.OfType<WorkerLost>()).Worker);
        var accuracy = LocalClusterRun.FinalValAccuracy(cluster.RunFolder);
        var undisturbed = reference.For(cluster.Workers);
        output.WriteLine($"final val_accuracy {accuracy:0.0000}; undisturbed {undisturbed:0.0000}");
        ClusterAssertions.AsGoodAsUndisturbed(accuracy, undisturbed);
    }
}
