namespace Coordinator.Cli.Node;

/// <summary>The cluster roles a node can take (<c>akka.cluster.roles</c>).</summary>
public static class NodeRoles
{
    /// <summary>Can host the training supervisor (a cluster singleton on the oldest such node); needs the
    /// run configuration, the shared storage and the journal.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Trains a replica of the model; needs only cluster settings.</summary>
    public const string Worker = "worker";

    public static IReadOnlyList<string> All { get; } = [Supervisor, Worker];
}
