namespace Coordinator.Actors.Protocol;

/// <summary>Messages of the ring allreduce among workers.</summary>
public static class AllreduceMessages
{
    /// <summary>
    /// One chunk moving one hop around the ring: step 0..N-2 reduce-scatter (the receiver adds it),
    /// step N-1..2N-3 all-gather (the receiver takes it). Serialized as raw float32 bytes.
    /// </summary>
    public sealed record RingChunk(long Round, int Step, int Chunk, float[] Data) : ICoordinatorMessage;
}
