namespace Coordinator.Actors.Transfer;

/// <summary>
/// The sending end of one chunked payload, as pure bookkeeping (go-back-N): at most <c>window</c> chunks are
/// unacknowledged at a time; an acknowledgement names how many chunks the receiver has taken in order, and
/// frees the window up to there; a timeout goes back to the first chunk not acknowledged and sends again
/// from there. So memory in flight is bounded by the window, whatever the payload's size.
/// </summary>
public sealed class SendWindow(int count, int window)
{
    private int _next;

    public int Count { get; } = count;

    /// <summary>Chunks the receiver has acknowledged, in order.</summary>
    public int Acked { get; private set; }

    public bool IsDone => Acked == Count;

    /// <summary>The chunks to send at the start.</summary>
    public IReadOnlyList<int> Start() => Fill();

    /// <summary>The receiver has taken <paramref name="received"/> chunks: returns the chunks that may go now.</summary>
    public IReadOnlyList<int> Acknowledged(int received)
    {
        if (received < 0 || received > Count)
            throw new ChunkAssemblyException($"the receiver acknowledged {received} chunks of {Count}");
        if (received <= Acked) return []; // an older or repeated acknowledgement
        Acked = received;
        _next = Math.Max(_next, Acked);
        return Fill();
    }

    /// <summary>No acknowledgement came in time: send again from the first chunk not acknowledged.</summary>
    public IReadOnlyList<int> TimedOut()
    {
        _next = Acked;
        return Fill();
    }

    private IReadOnlyList<int> Fill()
    {
        var send = new List<int>();
        while (_next < Count && _next < Acked + window) send.Add(_next++);
        return send;
    }
}
