using Coordinator.Actors.Transfer;

namespace Coordinator.Actors.Tests.Transfer;

public sealed class SendWindowTests
{
    [Fact]
    public void At_most_a_window_of_chunks_is_unacknowledged()
    {
        var window = new SendWindow(10, 3);
        Assert.Equal([0, 1, 2], window.Start());
        Assert.Equal([3], window.Acknowledged(1));
        Assert.Equal([4, 5], window.Acknowledged(3));
        Assert.Empty(window.Acknowledged(2)); // an older acknowledgement, overtaken
        Assert.Empty(window.Acknowledged(3)); // a repeated one
        Assert.Equal([6, 7, 8], window.Acknowledged(6));
        Assert.Equal([9], window.Acknowledged(7));
        Assert.False(window.IsDone);
        Assert.Empty(window.Acknowledged(10));
        Assert.True(window.IsDone);
    }

    [Fact]
    public void A_timeout_goes_back_to_the_first_unacknowledged_chunk()
    {
        var window = new SendWindow(6, 3);
        window.Start();
        window.Acknowledged(2); // 0, 1 in; 2, 3, 4 sent
        Assert.Equal([2, 3, 4], window.TimedOut());
        Assert.Equal([5], window.Acknowledged(3));
        Assert.Equal([3, 4, 5], window.TimedOut());
    }

    [Fact]
    public void An_acknowledgement_beyond_the_chunks_is_an_error()
    {
        var window = new SendWindow(2, 4);
        window.Start();
        Assert.Equal("the receiver acknowledged 3 chunks of 2", Assert.Throws<ChunkAssemblyException>(() => window.Acknowledged(3)).Message);
    }

    [Fact]
    public void The_receiver_and_the_sender_together_survive_losses_and_duplicates()
    {
        // A lossy, duplicating channel in both directions, driven by a seeded random: the payload arrives whole.
        var payload = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(payload));
        const int size = 700;
        var count = (payload.Length + size - 1) / size;
        for (var seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var window = new SendWindow(count, 4);
            var assembler = new ChunkAssembler(count, payload.Length, sha);
            var wire = new Queue<int>(window.Start());
            var completions = 0;
            for (var tick = 0; !window.IsDone && tick < 10_000; tick++)
            {
                if (wire.Count == 0)
                {
                    foreach (var i in window.TimedOut()) wire.Enqueue(i);
                    continue;
                }
                var index = wire.Dequeue();
                if (random.Next(5) == 0) continue; // the chunk is lost
                if (random.Next(5) == 0) wire.Enqueue(index); // ... or arrives twice
                var outcome = assembler.Accept(index, count, payload.Length, payload.AsSpan(index * size, Math.Min(size, payload.Length - index * size)));
                if (outcome == ChunkOutcome.Completed) completions++;
                if (random.Next(5) == 0) continue; // the acknowledgement is lost
                foreach (var i in window.Acknowledged(assembler.Received)) wire.Enqueue(i);
            }
            Assert.True(window.IsDone, $"seed {seed}: the transfer did not finish");
            Assert.Equal(1, completions);
            Assert.Equal(payload, assembler.Payload);
        }
    }
}
