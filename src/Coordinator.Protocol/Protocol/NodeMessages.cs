namespace Coordinator.Actors.Protocol;

/// <summary>
/// Between a worker node and the supervisor's node in a cluster: a worker node knows only the
/// cluster, so it asks for the run it is to work on and gets everything a worker needs to build
/// its replica (the run configuration and the data file itself, so worker nodes need no shared storage).
/// </summary>
public static class NodeMessages
{
    public sealed record RequestAssignment(string Node) : ICoordinatorMessage;

    /// <param name="WorkerIndex">Distinct per worker node asking (it seeds the replica's dropout generator).</param>
    public sealed record Assignment(string RunId, string RunConfig, string DataFileName, byte[] DataFile, int WorkerIndex)
        : ICoordinatorMessage;
}
