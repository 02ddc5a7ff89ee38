using System.Numerics.Tensors;
using Coordinator.Actors.Protocol;

namespace Coordinator.Actors.Allreduce;

/// <summary>
/// One worker's part of a ring allreduce (sum) over a float vector, as pure bookkeeping: the
/// vector is cut into N chunks; in N-1 reduce-scatter steps each worker passes a chunk to its
/// successor, which adds it to its own; in N-1 all-gather steps the finished chunks travel on
/// and replace. Each worker sends 2(N-1) chunks of about L/N floats: 2(N-1)/N of the vector, the
/// ring-allreduce bound, and no worker carries more than that.
/// Chunks are sent from buffers reused every other round: a member starts round r only once it has
/// finished round r-1, which needed every member to have started r-1 and so to have finished r-2, so
/// the successor has applied all of this member's round r-2 chunks before their buffers are written
/// again. (Fresh arrays of megabytes per send were large-object allocations that cost gen-2 collections.)
/// No message exceeds <paramref name="maxChunkFloats"/>: a longer vector runs as k rings side by side, each
/// over its own N pieces (piece p belongs to ring p / N and plays chunk p mod N there), so a remoting frame
/// never limits the model's size.
/// </summary>
internal sealed class RingAllreduce(int rank, int size, int maxChunkFloats = int.MaxValue)
{
    private readonly Queue<AllreduceMessages.RingChunk> _early = new();
    private float[]? _vector;
    private long _round = -1;
    private float[]?[] _buffers = [];
    private int _set;
    private int _rings = 1; // rings side by side: ceil(chunk length / maxChunkFloats)
    private int _finished;  // of them, those whose last step this member has applied in this round

    public long BytesSent { get; private set; }

    public bool InProgress => _vector is not null;

    /// <summary>Starts round <paramref name="round"/> with this worker's vector; returns the sum at once when alone.</summary>
    public float[]? Start(long round, float[] vector, Action<AllreduceMessages.RingChunk> send)
    {
        if (_vector is not null) throw new InvalidOperationException($"allreduce round {_round} is still in progress");
        if (size == 1) return vector;
        _round = round;
        _vector = vector;
        _set = 1 - _set;
        _finished = 0;
        var chunk = ((long)vector.Length + size - 1) / size;
        var rings = (int)Math.Max(1, (chunk + maxChunkFloats - 1) / maxChunkFloats);
        if (rings != _rings || _buffers.Length == 0) (_rings, _buffers) = (rings, new float[2 * 2 * (size - 1) * rings][]);
        for (var ring = 0; ring < _rings; ring++) Send(0, ring * size + rank, send);
        float[]? done = null;
        while (done is null && _early.Count > 0) done = Apply(_early.Dequeue(), send);
        return done;
    }

    /// <summary>Takes a chunk from the predecessor; returns the summed vector when the round is complete.</summary>
    public float[]? Receive(AllreduceMessages.RingChunk chunk, Action<AllreduceMessages.RingChunk> send)
    {
        if (_vector is not null && chunk.Round == _round) return Apply(chunk, send);
        if (chunk.Round > _round)
        {
            _early.Enqueue(chunk); // the predecessor is a round ahead: keep it for our next round
            return null;
        }
        throw new InvalidOperationException($"chunk of round {chunk.Round} arrived during round {_round}");
    }

    private float[]? Apply(AllreduceMessages.RingChunk chunk, Action<AllreduceMessages.RingChunk> send)
    {
        var vector = _vector!;
        var (start, length) = Range(chunk.Chunk, vector.Length);
        if (chunk.Data.Length != length)
            throw new InvalidOperationException($"chunk {chunk.Chunk} has {chunk.Data.Length} floats, expected {length}");
        var target = vector.AsSpan(start, length);
        if (chunk.Step < size - 1)
            TensorPrimitives.Add(target, chunk.Data, target); // element by element: the same sums as a loop
        else
            chunk.Data.CopyTo(target);

        if (chunk.Step < LastStep)
        {
            Send(chunk.Step + 1, chunk.Chunk, send); // the chunk just updated is the one to pass on
            return null;
        }
        if (++_finished < _rings) return null;
        _vector = null;
        return vector;
    }

    private int LastStep => 2 * (size - 1) - 1;

    private void Send(int step, int chunkIndex, Action<AllreduceMessages.RingChunk> send)
    {
        var (start, length) = Range(chunkIndex, _vector!.Length);
        var slot = ((_set * 2 * (size - 1)) + step) * _rings + chunkIndex / size;
        var data = _buffers[slot] is { } reused && reused.Length == length ? reused : _buffers[slot] = new float[length];
        _vector.AsSpan(start, length).CopyTo(data);
        BytesSent += Serialization.CoordinatorSerializer.ChunkSize(length);
        send(new AllreduceMessages.RingChunk(_round, step, chunkIndex, data));
    }

    private (int Start, int Length) Range(int piece, int total)
    {
        var pieces = (long)size * _rings;
        var start = (int)(piece * (long)total / pieces);
        var end = (int)((piece + 1) * (long)total / pieces);
        return (start, end - start);
    }
}
