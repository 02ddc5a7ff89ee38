using System.Security.Cryptography;
using Coordinator.Actors.Transfer;

namespace Coordinator.Actors.Tests.Transfer;

public sealed class ChunkAssemblerTests
{
    private static readonly byte[] Payload = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
    private static readonly string Sha = Convert.ToHexStringLower(SHA256.HashData(Payload));

    private static byte[] Chunk(int index, int size = 300) => Payload.Skip(index * size).Take(size).ToArray();

    [Fact]
    public void Chunks_in_order_give_back_the_payload()
    {
        var assembler = new ChunkAssembler(4, Payload.Length, Sha);
        Assert.Equal(ChunkOutcome.Taken, assembler.Accept(0, 4, Payload.Length, Chunk(0)));
        Assert.Equal(ChunkOutcome.Taken, assembler.Accept(1, 4, Payload.Length, Chunk(1)));
        Assert.Equal(ChunkOutcome.Taken, assembler.Accept(2, 4, Payload.Length, Chunk(2)));
        Assert.Equal(ChunkOutcome.Completed, assembler.Accept(3, 4, Payload.Length, Chunk(3)));
        Assert.Equal(Payload, assembler.Payload);
    }

    [Fact]
    public void An_empty_payload_is_one_empty_chunk()
    {
        var assembler = new ChunkAssembler(1, 0, Convert.ToHexStringLower(SHA256.HashData([])));
        Assert.Equal(ChunkOutcome.Completed, assembler.Accept(0, 1, 0, []));
        Assert.Empty(assembler.Payload);
    }

    [Fact]
    public void A_chunk_after_a_lost_one_is_dropped_until_the_gap_is_sent_again()
    {
        var assembler = new ChunkAssembler(4, Payload.Length, Sha);
        assembler.Accept(0, 4, Payload.Length, Chunk(0));
        // Chunk 1 lost: 2 and 3 arrive and are not taken; the acknowledgement still says 1 chunk.
        Assert.Equal(ChunkOutcome.OutOfOrder, assembler.Accept(2, 4, Payload.Length, Chunk(2)));
        Assert.Equal(ChunkOutcome.OutOfOrder, assembler.Accept(3, 4, Payload.Length, Chunk(3)));
        Assert.Equal(1, assembler.Received);
        Assert.False(assembler.IsComplete);
        Assert.Throws<InvalidOperationException>(() => assembler.Payload);
        // The sender goes back to 1.
        foreach (var i in new[] { 1, 2 }) Assert.Equal(ChunkOutcome.Taken, assembler.Accept(i, 4, Payload.Length, Chunk(i)));
        Assert.Equal(ChunkOutcome.Completed, assembler.Accept(3, 4, Payload.Length, Chunk(3)));
        Assert.Equal(Payload, assembler.Payload);
    }

    [Fact]
    public void A_duplicated_chunk_changes_nothing()
    {
        var assembler = new ChunkAssembler(4, Payload.Length, Sha);
        assembler.Accept(0, 4, Payload.Length, Chunk(0));
        assembler.Accept(1, 4, Payload.Length, Chunk(1));
        Assert.Equal(ChunkOutcome.Duplicate, assembler.Accept(1, 4, Payload.Length, Chunk(1)));
        Assert.Equal(ChunkOutcome.Duplicate, assembler.Accept(0, 4, Payload.Length, new byte[300])); // even with other bytes
        Assert.Equal(2, assembler.Received);
        assembler.Accept(2, 4, Payload.Length, Chunk(2));
        Assert.Equal(ChunkOutcome.Completed, assembler.Accept(3, 4, Payload.Length, Chunk(3)));
        Assert.Equal(Payload, assembler.Payload);
    }

    [Theory]
    [InlineData(500, "chunk 1 of 2 brings 300 bytes after 300: more than the 500 bytes announced")]
    [InlineData(1000, "the 2 chunks brought 600 bytes; 1000 bytes were announced")]
    public void Chunks_that_bring_more_or_fewer_bytes_than_announced_are_an_error_naming_both_sizes(long announced, string error)
    {
        var assembler = new ChunkAssembler(2, announced, Sha);
        assembler.Accept(0, 2, announced, Chunk(0));
        Assert.Equal(error, Assert.Throws<ChunkAssemblyException>(() => assembler.Accept(1, 2, announced, Chunk(1))).Message);
    }

    [Fact]
    public void A_chunk_that_announces_another_size_or_count_is_an_error()
    {
        var assembler = new ChunkAssembler(4, Payload.Length, Sha);
        assembler.Accept(0, 4, Payload.Length, Chunk(0));
        var e = Assert.Throws<ChunkAssemblyException>(() => assembler.Accept(1, 4, 2000, Chunk(1)));
        Assert.Equal("chunk 1 announces 4 chunks of a 2000-byte payload; the transfer began with 4 chunks of 1000 bytes", e.Message);
        e = Assert.Throws<ChunkAssemblyException>(() => assembler.Accept(1, 5, Payload.Length, Chunk(1)));
        Assert.Contains("announces 5 chunks", e.Message);
        e = Assert.Throws<ChunkAssemblyException>(() => assembler.Accept(4, 4, Payload.Length, Chunk(1)));
        Assert.Equal("chunk 4 is outside the transfer's 4 chunks", e.Message);
    }

    [Fact]
    public void Bytes_altered_on_the_way_are_an_error_naming_both_fingerprints()
    {
        var assembler = new ChunkAssembler(4, Payload.Length, Sha);
        for (var i = 0; i < 3; i++) assembler.Accept(i, 4, Payload.Length, i == 1 ? new byte[300] : Chunk(i));
        var e = Assert.Throws<ChunkAssemblyException>(() => assembler.Accept(3, 4, Payload.Length, Chunk(3)));
        Assert.Contains($"the sender announced {Sha}", e.Message);
        Assert.Matches("the 1000 bytes received have SHA-256 [0-9a-f]{64};", e.Message);
    }

    [Fact]
    public void An_impossible_announcement_is_refused()
    {
        Assert.Equal("a payload is announced in 0 chunks; at least 1 is needed",
            Assert.Throws<ChunkAssemblyException>(() => new ChunkAssembler(0, 10, Sha)).Message);
        Assert.Contains("at most", Assert.Throws<ChunkAssemblyException>(() => new ChunkAssembler(1, long.MaxValue, Sha)).Message);
    }
}
