namespace Coordinator.Recovery.Tests.TestSupport;

/// <summary>A folder of its own under the temp folder, removed afterwards (unless
/// COORDINATOR_KEEP_TEST_RUNS=1, to look at the run folders of a failed test).</summary>
public sealed class TempFolder : IDisposable
{
    public static string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "coordinator-recovery-tests");

    public TempFolder(string? name = null)
    {
        Path = System.IO.Path.Combine(Root, (name ?? "t") + "-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public static bool Keep => Environment.GetEnvironmentVariable("COORDINATOR_KEEP_TEST_RUNS") == "1";

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

/// <summary>The shipped hocon/digits.conf (copied next to the tests with data/digits.csv.gz, see the .csproj).</summary>
public static class DigitsConf
{
    private const string RelativeData = "\"../data/digits.csv.gz\"";

    /// <summary>A copy of digits.conf in <paramref name="folder"/>, its data path made absolute, otherwise unchanged.</summary>
    public static string CopyTo(string folder)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "digits.conf"));
        Assert.Contains(RelativeData, text);
        var data = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        var path = Path.Combine(folder, "digits.conf");
        File.WriteAllText(path, text.Replace(RelativeData, "\"" + data.Replace("\\", "\\\\") + "\""));
        return path;
    }
}
