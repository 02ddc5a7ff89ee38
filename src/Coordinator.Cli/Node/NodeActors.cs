using Akka.Actor;
using Akka.Cluster;

namespace Coordinator.Cli.Node;

/// <summary>
/// What a node runs once its actor system is up. PLACEHOLDER (issue #5): this body only logs membership,
/// waits for the cancellation (SIGTERM / Ctrl+C) and leaves the cluster. The supervisor singleton, the
/// singleton proxy and the workers' registration replace it; the contract stays: return the exit code once
/// the node is done, leave the cluster gracefully when <paramref name="ct"/> is cancelled.
/// </summary>
public static class NodeActors
{
    public static async Task<int> RunAsync(ActorSystem system, NodeOptions options, TextWriter stdout, CancellationToken ct)
    {
        system.ActorOf(MembershipLog.Props(stdout), "membership-log");

        var cancelled = new TaskCompletionSource();
        await using var registration = ct.Register(() => cancelled.TrySetResult());
        var first = await Task.WhenAny(system.WhenTerminated, cancelled.Task);
        if (first == system.WhenTerminated)
        {
            // Downed (the split brain resolver, or an operator) or shut down from inside: not asked to stop.
            stdout.WriteLine("this node was removed from the cluster; stopping");
            return ExitCodes.Failed;
        }

        stdout.WriteLine("leaving the cluster");
        await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        stdout.WriteLine("left the cluster");
        return ExitCodes.Ok;
    }
}
