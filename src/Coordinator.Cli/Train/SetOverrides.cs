using System.Text.RegularExpressions;
using Coordinator.Cli.Hosting;
using Coordinator.Configuration;

namespace Coordinator.Cli.Train;

/// <summary>
/// <c>--set key=value</c> (repeatable): lines after the configuration file's own, so they override it and
/// what follows from them follows (as the other flags; run.conf records them). A bad key or value gets
/// the error the file would get, naming the key and saying it came from --set.
/// </summary>
public static partial class SetOverrides
{
    public static RunConfig Apply(RunConfig config, string configPath, IReadOnlyList<string> sets)
    {
        if (sets.Count == 0) return config;
        var lines = sets.Select(Line).ToList();
        var text = config.Text.TrimEnd() + "\n\n# --set on the command line:\n" + string.Join("\n", lines.Select(l => l.Line)) + "\n";
        try
        {
            return RunConfigReader.Parse(text, Path.GetDirectoryName(Path.GetFullPath(configPath))!, configPath);
        }
        catch (ConfigurationError e)
        {
            var field = HoconFields.Normalize(e.Field);
            var culprit = lines.LastOrDefault(l => field == l.Key || field.StartsWith(l.Key + ".", StringComparison.Ordinal)
                                                   || field.StartsWith(l.Key + "[", StringComparison.Ordinal) || l.Key.StartsWith(field + ".", StringComparison.Ordinal));
            throw e.From(culprit.Given is { } given ? $"--set {given}" : $"with --set {string.Join(", --set ", sets)}");
        }
    }

    private static (string Key, string Given, string Line) Line(string set)
    {
        var eq = set.IndexOf('=');
        var key = eq < 0 ? "" : set[..eq].Trim();
        if (!Key().IsMatch(key))
            throw new ConfigurationError("--set", $"'{set}'", "must be key=value with a configuration key, e.g. --set training.epochs=10");
        var value = set[(eq + 1)..].Trim();
        // A relative data path typed on the command line is relative to where it was typed.
        if (HoconFields.Normalize(key) == "data.path" && value.Length > 0 && value[0] != '"' && !Path.IsPathRooted(value))
            value = Path.GetFullPath(value);
        var line = $"{key} = {(value.Length > 0 && value[0] is '[' or '{' or '"' ? value : $"\"{AkkaConfig.Escape(value)}\"")}";
        try
        {
            HoconText.Parse(line, $"--set {set}");
        }
        catch (ConfigurationError e)
        {
            throw new ConfigurationError("--set", $"'{set}'", e.Allowed);
        }
        return (HoconFields.Normalize(key), set, line);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")]
    private static partial Regex Key();
}
