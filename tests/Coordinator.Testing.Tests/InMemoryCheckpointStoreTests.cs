using System.Text;
using Coordinator.Core.Storage;
using Coordinator.Testing.Storage;

namespace Coordinator.Testing.Tests;

/// <summary>The in-memory store checks files as the file store does.</summary>
public sealed class InMemoryCheckpointStoreTests
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "store-test");

    [Fact]
    public void It_reports_the_same_problems_as_the_file_store()
    {
        var path = Path.Combine(Folder, "a.weights");
        var data = Encoding.UTF8.GetBytes("weights");
        var (memory, altered) = (new InMemoryCheckpointStore(), new InMemoryCheckpointStore(corrupt: p => p == path));
        var (sha, bytes) = memory.Write(path, data);

        Assert.Equal((FileSha256(data), 7L), (sha, bytes));
        Assert.Null(memory.Problem(path, sha, bytes));
        Assert.Equal("truncated or grown: 7 bytes, 8 recorded", memory.Problem(path, sha, 8));
        Assert.Equal("missing", memory.Problem(Path.Combine(Folder, "b.weights"), sha, bytes));
        Assert.Equal(sha, altered.Write(path, data).Sha256);
        Assert.Equal("altered: its SHA-256 differs from the one recorded", altered.Problem(path, sha, bytes));
    }

    [Fact]
    public void It_lists_the_files_of_a_folder_and_deletes_them()
    {
        var store = new InMemoryCheckpointStore();
        store.Write(Path.Combine(Folder, "b"), [1]);
        store.Write(Path.Combine(Folder, "a"), [1]);
        store.Write(Path.Combine(Folder, "sub", "c"), [1]);
        store.Delete(Path.Combine(Folder, "b"));

        Assert.Equal([Path.Combine(Folder, "a")], store.List(Folder));
        Assert.Throws<FileNotFoundException>(() => store.Read(Path.Combine(Folder, "b")));
    }

    [Fact]
    public void A_write_made_to_fail_throws_an_IOException()
    {
        var store = new InMemoryCheckpointStore(failWrite: p => p.EndsWith(".state", StringComparison.Ordinal));
        Assert.Throws<IOException>(() => store.Write(Path.Combine(Folder, "x.state"), [1]));
    }

    private static string FileSha256(byte[] data)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, data);
            return AtomicFile.Sha256Of(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
