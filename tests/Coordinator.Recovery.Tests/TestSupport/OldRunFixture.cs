namespace Coordinator.Recovery.Tests.TestSupport;

/// <summary>
/// fixtures/old-run: a run (digits, 1 worker, 6 epochs) killed during epoch 3 by the version before events
/// recorded paths relative to the run folder; its journal holds absolute paths into the folder it had then.
/// </summary>
public static class OldRunFixture
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "fixtures", "old-run");

    /// <summary>Copies it to <paramref name="target"/>, its run.conf reading the data where this test finds it and
    /// training with the 2 threads the fixture trained with (on any machine); returns that run.conf's text.</summary>
    public static string CopyTo(string target)
    {
        FolderSnapshot.Copy(Folder, target);
        var conf = Path.Combine(target, "run.conf");
        var data = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        var text = string.Join("\n", File.ReadAllLines(conf).Select(l => l.StartsWith("data.path = ", StringComparison.Ordinal) ? $"data.path = \"{data}\"" : l))
            .Replace("threads-per-worker = 0", "threads-per-worker = 2", StringComparison.Ordinal) + "\n";
        File.WriteAllText(conf, text);
        return text;
    }
}
