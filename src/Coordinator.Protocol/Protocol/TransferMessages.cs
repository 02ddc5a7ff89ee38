using Akka.Actor;

namespace Coordinator.Actors.Protocol;

/// <summary>
/// A message too large for one remoting frame (weights, resume states), carried between nodes in chunks
/// with acknowledgements by <c>Transfer.PayloadTransfer</c>. The sending node serializes the message and
/// sends its bytes in chunks to the receiving node's transfer actor, which puts them together, checks size
/// and SHA-256, and delivers the message to <see cref="PayloadChunk.Target"/> as if <see cref="PayloadChunk.From"/>
/// had sent it. Within one process such messages are never chunked: they stay references.
/// </summary>
public static class TransferMessages
{
    /// <summary>
    /// Chunk <see cref="Index"/> of <see cref="Count"/> of a serialized message of <see cref="TotalBytes"/> bytes
    /// (SHA-256 <see cref="Sha256"/>, serializer <see cref="SerializerId"/> with <see cref="Manifest"/>) for
    /// <see cref="Target"/>. On the wire: a small JSON header, then <see cref="Data"/> as raw bytes.
    /// </summary>
    public sealed record PayloadChunk(
        long TransferId, int Index, int Count, long TotalBytes, string Sha256,
        IActorRef Target, IActorRef? From, int SerializerId, string Manifest, byte[] Data) : ICoordinatorMessage;

    /// <summary>The receiver has taken the first <see cref="Received"/> chunks, in order (go-back-N: the sender
    /// resends from there when no further acknowledgement comes).</summary>
    public sealed record ChunkAcked(long TransferId, int Received) : ICoordinatorMessage;

    /// <summary>The receiver cannot put the payload together (a size or SHA-256 that differs from the one announced).</summary>
    public sealed record ChunkRejected(long TransferId, string Reason) : ICoordinatorMessage;

    /// <summary>To the original sender, in its own process: <see cref="Target"/> did not get the message (rejected,
    /// or no acknowledgement after every retry).</summary>
    public sealed record TransferFailed(IActorRef Target, string MessageType, string Reason) : INoSerializationVerificationNeeded;

    /// <summary>Marks a message that may be larger than a frame: sent through <c>PayloadTransfer</c>, chunked between nodes.</summary>
    public interface ILargeMessage;
}
