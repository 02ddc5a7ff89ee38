namespace Coordinator.Actors.TestSupport;

/// <summary>A folder of its own under the temp folder for one test, removed afterwards (unless
/// COORDINATOR_KEEP_TEST_RUNS=1, to look at the run folders of a failed test).</summary>
public sealed class TempFolder : IDisposable
{
    public static string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "coordinator-tests");

    public TempFolder(string? name = null)
    {
        Path = System.IO.Path.Combine(Root, (name ?? "t") + "-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public static bool Keep => Environment.GetEnvironmentVariable("COORDINATOR_KEEP_TEST_RUNS") == "1";

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> inside the folder; returns its path.</summary>
    public string File(string name, string content)
    {
        var path = Combine(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Folder(string name) => Directory.CreateDirectory(Combine(name)).FullName;

    public void Dispose()
    {
        if (Keep) return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
