using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Serialization;

namespace Coordinator.Testing.Persistence;

/// <summary>
/// Lets Akka.Persistence's own messages between the journal and the persistent actor skip the
/// serialize-messages check: they never leave the process, and those that report a failed write carry
/// the exception, which Akka's default JSON serializer cannot read back (so a journal fault would be
/// lost on the way to the supervisor). "Serializing" keeps the object and hands over a key to it.
/// The coordinator's own messages and events still cross CoordinatorSerializer.
/// </summary>
public sealed class LocalOnlySerializer(ExtendedActorSystem system) : Serializer(system)
{
    private static readonly ConcurrentDictionary<Guid, object> Objects = new();

    public override int Identifier => 1790;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        var key = Guid.NewGuid();
        Objects[key] = obj;
        return key.ToByteArray();
    }

    public override object FromBinary(byte[] bytes, Type type) =>
        Objects.TryRemove(new Guid(bytes), out var obj) ? obj : throw new System.Runtime.Serialization.SerializationException("a local-only message was read twice or never written");
}
