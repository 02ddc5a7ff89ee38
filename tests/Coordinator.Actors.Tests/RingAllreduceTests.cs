using Coordinator.Actors.Allreduce;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Serialization;

namespace Coordinator.Actors.Tests;

public sealed class RingAllreduceTests
{
    /// <summary>Runs one round among <paramref name="n"/> in-memory ring members, delivering chunks in a seeded random interleaving.</summary>
    private static (float[][] Results, long[] Bytes) Run(int n, float[][] vectors, int seed, int rounds = 1, int maxChunkFloats = int.MaxValue,
        List<AllreduceMessages.RingChunk>? sent = null)
    {
        var members = Enumerable.Range(0, n).Select(r => new RingAllreduce(r, n, maxChunkFloats)).ToArray();
        var results = new float[n][];
        var random = new Random(seed);
        for (var round = 0; round < rounds; round++)
        {
            var inboxes = Enumerable.Range(0, n).Select(_ => new Queue<AllreduceMessages.RingChunk>()).ToArray();
            var started = new bool[n];
            var done = new bool[n];
            while (done.Any(d => !d))
            {
                var r = random.Next(n);
                Action<AllreduceMessages.RingChunk> send = c =>
                {
                    sent?.Add(c);
                    inboxes[(r + 1) % n].Enqueue(c);
                };
                float[]? sum = null;
                if (!started[r] && random.Next(2) == 0)
                {
                    started[r] = true;
                    sum = members[r].Start(round, (float[])vectors[r].Clone(), send);
                }
                else if (inboxes[r].Count > 0 && (started[r] || random.Next(2) == 0))
                    sum = members[r].Receive(inboxes[r].Dequeue(), send);
                if (sum is not null)
                {
                    Assert.False(done[r]);
                    done[r] = true;
                    results[r] = sum;
                }
            }
        }
        return (results, members.Select(m => m.BytesSent).ToArray());
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 10)]
    [InlineData(3, 10)]
    [InlineData(4, 1003)]
    [InlineData(5, 7)]
    public void Every_member_ends_with_the_same_sum(int n, int length)
    {
        var vectors = Enumerable.Range(0, n).Select(r => Enumerable.Range(0, length).Select(i => (float)(r * 1000 + i)).ToArray()).ToArray();
        for (var seed = 0; seed < 5; seed++)
        {
            var (results, _) = Run(n, vectors, seed);
            for (var i = 0; i < length; i++)
            {
                var expected = vectors.Sum(v => v[i]);
                Assert.All(results, r => Assert.Equal(expected, r[i]));
            }
            Assert.All(results, r => Assert.Equal(results[0], r)); // bit for bit
        }
    }

    [Fact]
    public void Each_member_sends_two_n_minus_one_chunks_the_ring_bound()
    {
        const int n = 4, length = 1000;
        var vectors = Enumerable.Range(0, n).Select(_ => new float[length]).ToArray();
        var (_, bytes) = Run(n, vectors, seed: 1, rounds: 3);
        var perRound = 2 * (n - 1) * CoordinatorSerializer.ChunkSize(length / n);
        Assert.All(bytes, b => Assert.Equal(3 * perRound, b));
        // Payload per member per round: 2(N-1)/N of the vector, plus a 16-byte header per chunk.
        Assert.Equal(2.0 * (n - 1) / n * length * 4 + 2 * (n - 1) * 16, perRound);
    }

    [Theory]
    [InlineData(2, 1003, 7)]
    [InlineData(3, 1000, 100)]
    [InlineData(4, 10, 1)]
    public void A_vector_longer_than_a_message_runs_as_rings_side_by_side_with_no_chunk_above_the_limit(int n, int length, int maxFloats)
    {
        var vectors = Enumerable.Range(0, n).Select(r => Enumerable.Range(0, length).Select(i => (float)(r * 1000 + i)).ToArray()).ToArray();
        for (var seed = 0; seed < 3; seed++)
        {
            var sent = new List<AllreduceMessages.RingChunk>();
            var (results, bytes) = Run(n, vectors, seed, rounds: 2, maxChunkFloats: maxFloats, sent: sent);
            Assert.All(sent, c => Assert.InRange(c.Data.Length, 0, maxFloats)); // 10 floats in 12 pieces leave some empty
            for (var i = 0; i < length; i++)
                Assert.All(results, r => Assert.Equal(vectors.Sum(v => v[i]), r[i]));
            // Every piece makes 2(N-1) hops a round: 2(N-1) times the vector in all, as with one chunk per member.
            Assert.Equal(2L * 2 * (n - 1) * length, sent.Sum(c => (long)c.Data.Length));
            Assert.Equal(sent.Sum(c => (long)CoordinatorSerializer.ChunkSize(c.Data.Length)), bytes.Sum());
        }
    }
}
