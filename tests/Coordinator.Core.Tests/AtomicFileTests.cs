using Coordinator.Core.Storage;

namespace Coordinator.Core.Tests;

public sealed class AtomicFileTests
{
    [Fact]
    public void A_failed_write_leaves_neither_a_partial_file_nor_a_final_name()
    {
        var folder = Path.Combine(Path.GetTempPath(), "atomic-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(folder, "ckpt.weights");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[100]);
            throw new InvalidOperationException("disk gone");
        }));
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void A_write_returns_the_sha256_and_size_of_what_landed()
    {
        var path = Path.Combine(Path.GetTempPath(), "atomic-" + Guid.NewGuid().ToString("N"), "x.bin");
        var (sha, bytes) = AtomicFile.Write(path, s => s.Write("abc"u8));
        Assert.Equal(("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 3L), (sha, bytes));
        Assert.Equal(sha, AtomicFile.Sha256Of(path));
    }
}
