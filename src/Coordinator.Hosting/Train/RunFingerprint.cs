using System.Security.Cryptography;
using System.Text;
using Coordinator.Configuration;
using Coordinator.Core.Storage;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Train;

/// <summary>
/// What a run is made of, recorded in its <c>RunStarted</c>: the SHA-256 of its run.conf, of its data
/// file, and every setting (<see cref="ConfigSettings"/>). A resume compares them before anything runs.
/// </summary>
public sealed record RunFingerprint(string ConfigSha256, string DataSha256, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>The fingerprint of run.conf's text (<paramref name="runConf"/>) and the data file it names.</summary>
    public static RunFingerprint Of(string runConf, string dataPath) =>
        new(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runConf))), AtomicFile.Sha256Of(dataPath),
            ConfigSettings.Flatten(runConf));

    /// <summary>
    /// What differs between the run as it started and <paramref name="now"/>, one line per item; empty when
    /// nothing that matters did (comments or layout alone). The data file is compared by its contents, so
    /// <c>data.path</c> may change; <c>training.epochs</c> changes only through <c>--epochs</c>.
    /// </summary>
    public static IReadOnlyList<string> Changes(RunStarted started, RunFingerprint now, string dataPath, string resumeArg)
    {
        var changes = new List<string>();
        if (started.DataSha256 is { } data && data != now.DataSha256)
            changes.Add($"the data file {dataPath}: SHA-256 {data} when the run started, {now.DataSha256} now");
        if (started.Settings is not { } then) return changes;
        foreach (var key in then.Keys.Union(now.Settings.Keys).Order(StringComparer.Ordinal))
        {
            var (before, after) = (then.GetValueOrDefault(key), now.Settings.GetValueOrDefault(key));
            if (before == after || key == "data.path") continue;
            var what = key == "callbacks" ? "the callbacks" : key.StartsWith("model.", StringComparison.Ordinal) ? $"the model ({key})" : key;
            var line = $"{what}: {before ?? "(not set)"} when the run started, {after ?? "(not set)"} now";
            if (key == "training.epochs")
                line += $"; to change the epoch limit, put run.conf back and use: coordinator train --resume {resumeArg} --epochs {after}";
            changes.Add(line);
        }
        return changes;
    }
}
