using Akka.Actor;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Serialization;

/// <summary>
/// <see cref="WorkerCommands.StartEpoch"/> on the wire: the ring as serialized actor paths (with
/// the sender's address, so a worker on another node can reach every member), resolved back to
/// references by the receiving system.
/// </summary>
internal sealed record StartEpochWire(long Version, int Epoch, double LearningRate, int Rank, IReadOnlyList<string> Ring)
{
    public static StartEpochWire From(WorkerCommands.StartEpoch start) =>
        new(start.Version, start.Epoch, start.LearningRate, start.Rank,
            start.Ring.Select(Akka.Serialization.Serialization.SerializedActorPath).ToList());

    public WorkerCommands.StartEpoch To(ExtendedActorSystem system) =>
        new(Version, Epoch, LearningRate, Rank, Ring.Select(system.Provider.ResolveActorRef).ToList());
}
