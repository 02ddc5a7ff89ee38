using System.Buffers.Binary;
using System.Runtime.Serialization;
using Akka.Actor;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Serialization;

/// <summary>
/// Binary forms of the messages that carry model-sized bytes (never JSON: base64 would add a third, and
/// these are what chunked transfers cut up): a request id, a flag for "no payload", then the bytes as they
/// are; and the chunk of a transfer: a length-prefixed JSON header, then its bytes.
/// </summary>
internal static class PayloadWire
{
    private const int Header = 9;

    public static byte[] ToBytes(long requestId, byte[]? payload)
    {
        var bytes = new byte[Header + (payload?.Length ?? 0)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, requestId);
        bytes[8] = payload is null ? (byte)0 : (byte)1;
        payload?.CopyTo(bytes.AsSpan(Header));
        return bytes;
    }

    public static (long RequestId, byte[]? Payload) FromBytes(byte[] bytes, string manifest)
    {
        if (bytes.Length < Header || bytes[8] > 1 || (bytes[8] == 0 && bytes.Length != Header))
            throw new SerializationException($"{manifest}: {bytes.Length} bytes are not a request id, a flag and a payload");
        return (BinaryPrimitives.ReadInt64LittleEndian(bytes), bytes[8] == 0 ? null : bytes.AsSpan(Header).ToArray());
    }

    public static byte[] ChunkToBytes(TransferMessages.PayloadChunk chunk)
    {
        var header = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new PayloadChunkHeader(chunk.TransferId, chunk.Index, chunk.Count,
            chunk.TotalBytes, chunk.Sha256, Akka.Serialization.Serialization.SerializedActorPath(chunk.Target),
            chunk.From is null ? null : Akka.Serialization.Serialization.SerializedActorPath(chunk.From), chunk.SerializerId, chunk.Manifest),
            CoordinatorJsonContext.Default.PayloadChunkHeader);
        var bytes = new byte[4 + header.Length + chunk.Data.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, header.Length);
        header.CopyTo(bytes.AsSpan(4));
        chunk.Data.CopyTo(bytes.AsSpan(4 + header.Length));
        return bytes;
    }

    public static TransferMessages.PayloadChunk ChunkFromBytes(byte[] bytes, ExtendedActorSystem system, string manifest)
    {
        var length = bytes.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(bytes) : -1;
        if (length < 0 || length > bytes.Length - 4) throw new SerializationException($"{manifest}: a chunk of {bytes.Length} bytes has no whole header");
        var header = System.Text.Json.JsonSerializer.Deserialize(bytes.AsSpan(4, length), CoordinatorJsonContext.Default.PayloadChunkHeader)
                     ?? throw new SerializationException($"{manifest}: the header was null");
        return new TransferMessages.PayloadChunk(header.TransferId, header.Index, header.Count, header.TotalBytes, header.Sha256,
            system.Provider.ResolveActorRef(header.Target), header.From is null ? null : system.Provider.ResolveActorRef(header.From),
            header.SerializerId, header.Manifest, bytes.AsSpan(4 + length).ToArray());
    }
}

/// <summary>A transfer chunk's header on the wire: actor references as serialized paths (with their node's address).</summary>
internal sealed record PayloadChunkHeader(
    long TransferId, int Index, int Count, long TotalBytes, string Sha256, string Target, string? From, int SerializerId, string Manifest);
