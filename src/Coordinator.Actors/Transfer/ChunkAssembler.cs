using System.Security.Cryptography;

namespace Coordinator.Actors.Transfer;

/// <summary>
/// The receiving end of one chunked payload, as pure bookkeeping: chunks are taken strictly in order
/// (a chunk after a gap means one was lost: it is dropped, and the acknowledgement still names the first
/// missing chunk, so the sender goes back to it); a chunk already taken is a duplicate and changes nothing.
/// Every chunk must agree with the first on the count and the total size; the last one completes the
/// payload only if its size and SHA-256 are the ones announced. Anything else is a <see cref="ChunkAssemblyException"/>
/// naming what differs.
/// </summary>
public sealed class ChunkAssembler
{
    private readonly byte[] _buffer;
    private int _filled;

    public ChunkAssembler(int count, long totalBytes, string sha256)
    {
        if (count < 1) throw new ChunkAssemblyException($"a payload is announced in {count} chunks; at least 1 is needed");
        if (totalBytes < 0 || totalBytes > Array.MaxLength)
            throw new ChunkAssemblyException($"a payload of {totalBytes} bytes is announced; at most {Array.MaxLength} bytes fit in one message");
        (Count, TotalBytes, Sha256) = (count, totalBytes, sha256);
        _buffer = new byte[totalBytes];
    }

    public int Count { get; }

    public long TotalBytes { get; }

    public string Sha256 { get; }

    /// <summary>How many chunks have been taken, in order: the index of the next one expected.</summary>
    public int Received { get; private set; }

    public bool IsComplete => Received == Count;

    /// <summary>Takes chunk <paramref name="index"/> (of <paramref name="count"/>, of a payload of <paramref name="totalBytes"/>).</summary>
    /// <returns>What became of it; <see cref="ChunkOutcome.Completed"/> once the whole payload is in and verified.</returns>
    public ChunkOutcome Accept(int index, int count, long totalBytes, ReadOnlySpan<byte> data)
    {
        if (count != Count || totalBytes != TotalBytes)
            throw new ChunkAssemblyException(
                $"chunk {index} announces {count} chunks of a {totalBytes}-byte payload; the transfer began with {Count} chunks of {TotalBytes} bytes");
        if (index < 0 || index >= Count) throw new ChunkAssemblyException($"chunk {index} is outside the transfer's {Count} chunks");
        if (index < Received) return ChunkOutcome.Duplicate;
        if (index > Received) return ChunkOutcome.OutOfOrder;
        if (data.Length > _buffer.Length - _filled)
            throw new ChunkAssemblyException(
                $"chunk {index} of {Count} brings {data.Length} bytes after {_filled}: more than the {TotalBytes} bytes announced");
        data.CopyTo(_buffer.AsSpan(_filled));
        _filled += data.Length;
        Received++;
        if (!IsComplete) return ChunkOutcome.Taken;
        if (_filled != TotalBytes)
            throw new ChunkAssemblyException($"the {Count} chunks brought {_filled} bytes; {TotalBytes} bytes were announced");
        var actual = Convert.ToHexStringLower(SHA256.HashData(_buffer));
        if (actual != Sha256)
            throw new ChunkAssemblyException($"the {TotalBytes} bytes received have SHA-256 {actual}; the sender announced {Sha256}");
        return ChunkOutcome.Completed;
    }

    /// <summary>The payload, once <see cref="IsComplete"/>.</summary>
    public byte[] Payload => IsComplete ? _buffer : throw new InvalidOperationException($"only {Received} of {Count} chunks are in");
}

public enum ChunkOutcome
{
    /// <summary>The next chunk in order: taken.</summary>
    Taken,

    /// <summary>The last chunk: the payload is whole and its size and SHA-256 are the ones announced.</summary>
    Completed,

    /// <summary>A chunk taken before (sent again after a lost acknowledgement): ignored.</summary>
    Duplicate,

    /// <summary>A chunk after a gap (one before it was lost): dropped; the sender goes back to the gap.</summary>
    OutOfOrder,
}

/// <summary>A chunked payload that cannot be put together: the message says what differs.</summary>
public sealed class ChunkAssemblyException(string message) : Exception(message);
