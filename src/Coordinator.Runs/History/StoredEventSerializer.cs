using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using Coordinator.Actors.Serialization;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.History;

/// <summary>
/// The history reader's stand-in for <see cref="CoordinatorSerializer"/> (same identifier, 1701, so
/// it is picked for every stored event): it decodes with the real serializer, but hands back a
/// <see cref="StoredEvent"/> that also keeps the manifest and the stored JSON, and never throws for
/// a manifest this build does not know (a journal written by a newer coordinator) or a payload it
/// cannot decode. Only the reading ActorSystem of <see cref="RunJournal"/> uses it.
/// </summary>
public sealed class StoredEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly CoordinatorSerializer _inner = new(system);

    public override int Identifier => CoordinatorSerializer.Id;

    public override string Manifest(object o) => o is StoredEvent s ? s.Manifest : _inner.Manifest(o);

    public override byte[] ToBinary(object obj) => obj is StoredEvent s ? Encoding.UTF8.GetBytes(s.Json) : _inner.ToBinary(obj);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var json = Encoding.UTF8.GetString(bytes);
        try
        {
            return _inner.FromBinary(bytes, manifest) is IRunEvent e
                ? new StoredEvent(manifest, json, e, null)
                : new StoredEvent(manifest, json, null, "not a run event");
        }
        catch (Exception ex) when (ex is SerializationException or JsonException or NotSupportedException or ArgumentException)
        {
            return new StoredEvent(manifest, json, null, ex.Message);
        }
    }

    /// <summary>The HOCON that puts this serializer in the coordinator serializer's place.</summary>
    internal static string Hocon
    {
        get
        {
            var type = $"{typeof(StoredEventSerializer).FullName}, {typeof(StoredEventSerializer).Assembly.GetName().Name}";
            return $$"""
                akka.actor.serializers.coordinator = "{{type}}"
                akka.actor.serialization-identifiers { "{{type}}" = {{CoordinatorSerializer.Id}} }
                """;
        }
    }
}

/// <summary>One stored event as read: its manifest, its JSON as stored, and the event when this
/// build could decode it (else <see cref="Problem"/> says why not).</summary>
public sealed record StoredEvent(string Manifest, string Json, IRunEvent? Event, string? Problem);
