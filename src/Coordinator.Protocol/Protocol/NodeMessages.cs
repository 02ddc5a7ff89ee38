namespace Coordinator.Actors.Protocol;

/// <summary>
/// Between a worker node and the supervisor's node in a cluster: a worker node knows only the
/// cluster, so it asks for the run it is to work on and gets the run configuration. Data never travels
/// in a message: each worker node reads the data file the configuration names (resolved against
/// <see cref="Assignment.ConfigFolder"/>, the configuration's folder on the supervisor's node, so nodes
/// mount the data at the same path) and registers with its SHA-256, which the supervisor checks
/// against the one its run recorded.
/// </summary>
public static class NodeMessages
{
    public sealed record RequestAssignment(string Node) : ICoordinatorMessage;

    /// <param name="ConfigFolder">The folder the run configuration's relative paths (<c>data.path</c>) are relative to.</param>
    /// <param name="WorkerIndex">Distinct per worker node asking (it seeds the replica's dropout generator).</param>
    public sealed record Assignment(string RunId, string RunConfig, string ConfigFolder, int WorkerIndex) : ICoordinatorMessage;
}
