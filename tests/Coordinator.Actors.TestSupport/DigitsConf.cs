namespace Coordinator.Actors.TestSupport;

/// <summary>The shipped hocon/digits.conf (test projects copy it next to the tests with data/digits.csv.gz).</summary>
public static class DigitsConf
{
    private const string RelativeData = "\"../data/digits.csv.gz\"";

    /// <summary>digits.conf's text with its data path made absolute, otherwise unchanged.</summary>
    public static string Text()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hocon", "digits.conf"));
        if (!text.Contains(RelativeData, StringComparison.Ordinal))
            throw new InvalidOperationException($"digits.conf no longer contains {RelativeData}");
        var data = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        return text.Replace(RelativeData, "\"" + data.Replace("\\", "\\\\") + "\"");
    }

    /// <summary>A copy of digits.conf in <paramref name="folder"/>, its data path made absolute.</summary>
    public static string CopyTo(string folder)
    {
        var path = Path.Combine(folder, "digits.conf");
        File.WriteAllText(path, Text());
        return path;
    }
}
