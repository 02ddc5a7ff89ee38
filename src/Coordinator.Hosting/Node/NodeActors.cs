using Akka.Actor;
using Akka.Cluster;

namespace Coordinator.Cli.Node;

/// <summary>
/// What a node runs once its actor system is up: the membership log, then <see cref="Distributed.ClusterNode"/>
/// (the supervisor singleton, its proxy, the worker). Returns the exit code once the node is done; the
/// caller leaves the cluster gracefully afterwards (and on SIGTERM, which cancels <paramref name="ct"/>).
/// </summary>
public static class NodeActors
{
    public static Task<int> RunAsync(ActorSystem system, NodeOptions options, Core.Storage.FaultInjection faults, TextWriter stdout, CancellationToken ct)
    {
        system.ActorOf(MembershipLog.Props(stdout), "membership-log");
        return Distributed.ClusterNode.RunAsync(system, options, faults, stdout, ct);
    }
}
