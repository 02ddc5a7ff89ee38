using System.Globalization;
using Coordinator.Configuration;
using Coordinator.Core;

namespace Coordinator.Cli.Train;

/// <summary>
/// The <c>train</c> verb's arguments as a request: the configuration file with <c>--set</c> lines over it, and the
/// flags (<c>--workers</c>, <c>--epochs</c>, <c>--seed</c>) over both; or <c>--resume</c>, which takes <c>--epochs</c> only.
/// </summary>
public static class TrainConfig
{
    public static TrainingRequest Request(TrainOptions options)
    {
        if (options.Resume is not { } resume)
        {
            var (config, training) = Read(options);
            return new TrainingRequest.NewRun(config, training, options.RunDir);
        }
        if (options.ConfigPath is not null || options.Workers is not null || options.Seed is not null || options.RunDir is not null
            || options.Sets is { Count: > 0 })
            throw new ConfigurationError("--resume", resume,
                "takes no other option but --epochs: a run continues with the settings it started with (saved in its run.conf)");
        return new TrainingRequest.Resume(resume, options.Epochs);
    }

    /// <summary>Checks and prepares the run the options describe (<see cref="TrainingHost.Prepare"/>).</summary>
    public static PreparedRun Prepare(TrainOptions options)
    {
        var (config, training) = Read(options);
        return TrainingHost.Prepare(config, training);
    }

    /// <summary>The configuration (the file and its --set lines) and its training settings with the flags applied.</summary>
    public static (RunConfig Config, TrainingSettings Training) Read(TrainOptions options)
    {
        var path = options.ConfigPath ?? throw new ConfigurationError("--config", "(missing)", "give a run configuration, or --resume RUN_DIR");
        var config = SetOverrides.Apply(RunConfigReader.ReadFile(path), path, options.Sets ?? []);
        return (config, WithFlags(config, path, options));
    }

    // The flags are read as HOCON lines after the file's own (as run.conf records them), so what follows
    // from them follows: min-workers and max-workers left unset go with --workers.
    private static TrainingSettings WithFlags(RunConfig config, string path, TrainOptions options)
    {
        if (options.Workers is < 1) throw new ConfigurationError("--workers", options.Workers.Value.ToString(CultureInfo.InvariantCulture), "must be 1 or more");
        if (options.Epochs is < 1) throw new ConfigurationError("--epochs", options.Epochs.Value.ToString(CultureInfo.InvariantCulture), "must be 1 or more");
        var lines = new List<string>();
        if (options.Workers is { } w) lines.Add($"training.workers = {w.ToString(CultureInfo.InvariantCulture)}");
        if (options.Epochs is { } e) lines.Add($"training.epochs = {e.ToString(CultureInfo.InvariantCulture)}");
        if (options.Seed is { } s) lines.Add($"training.seed = {s.ToString(CultureInfo.InvariantCulture)}");
        if (lines.Count == 0) return config.Settings.Training;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return RunConfigReader.Parse(config.Text.TrimEnd() + "\n" + string.Join("\n", lines) + "\n", folder).Settings.Training;
    }
}
