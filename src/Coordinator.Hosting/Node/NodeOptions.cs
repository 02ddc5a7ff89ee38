namespace Coordinator.Cli.Node;

/// <summary>
/// A cluster node's settings after flags, environment variables and the HOCON file were merged and
/// checked (<see cref="NodeOptionsReader"/>). Paths are absolute. <see cref="RunPath"/>,
/// <see cref="SharedPath"/> and <see cref="Journal"/> are set on supervisor nodes (required there) and
/// may be null on worker-only nodes.
/// </summary>
public sealed record NodeOptions(
    IReadOnlyList<string> Roles,
    string Host,
    string BindHost,
    int Port,
    IReadOnlyList<SeedNode> Seeds,
    string ConfigPath,
    string? RunPath,
    string? SharedPath,
    string? Journal,
    NodeTlsOptions? Tls,
    FailureDetection FailureDetection,
    string LogLevel,
    string? HealthFile)
{
    /// <summary>Every environment variable a node reads (<c>COORDINATOR_*</c>).</summary>
    public static IReadOnlyList<string> EnvironmentVariables { get; } = NodeFields.All.Select(f => f.Variable).ToArray();

    public bool IsSupervisor => Roles.Contains(NodeRoles.Supervisor);

    public bool IsWorker => Roles.Contains(NodeRoles.Worker);
}
