using Coordinator.Actors.State;
using Coordinator.Actors.Supervision;
using Coordinator.Callbacks;
using Coordinator.Callbacks.Formatting;
using Coordinator.Configuration;
using Coordinator.Core.Metrics;

namespace Coordinator.Cli.Train;

/// <summary>
/// Checks a run's callbacks against the logs a training run produces (the replicas' metrics, the same with
/// <c>val_</c>, and <c>learning_rate</c>), before anything trains: a monitor or a file name field that the logs
/// will never hold is a configuration error now, not a warning every epoch or a failure at the first checkpoint;
/// so is <c>mode = auto</c> on a metric whose direction is not known.
/// </summary>
public static class RunPreflight
{
    public static void Check(IReadOnlyList<CallbackSettings> callbacks, double initialLearningRate, int workers,
        IReadOnlyList<MetricDefinition> metrics)
    {
        var logs = MetricDefinition.Logs(metrics);
        for (var i = 0; i < callbacks.Count; i++)
        {
            var (monitor, template) = callbacks[i] switch
            {
                EarlyStoppingSettings s => (s.Monitor, null),
                ReduceLrOnPlateauSettings s => (s.Monitor, null),
                ModelCheckpointSettings s => (s.Monitor, s.Filepath),
                _ => ((string?)null, (string?)null),
            };
            if (monitor is not null && !logs.Contains(monitor))
                throw new ConfigurationError($"callbacks[{i}].monitor", monitor, $"a training run logs only: {string.Join(", ", logs)}");
            if (template is null) continue;
            IReadOnlyList<string> fields;
            try
            {
                fields = PythonFormat.FieldNames(template);
            }
            catch (PythonFormatException e)
            {
                throw new ConfigurationError($"callbacks[{i}].filepath", $"\"{template}\"", e.Message);
            }
            foreach (var field in fields)
                if (field is not ("epoch" or "batch") && !logs.Contains(field))
                    throw new ConfigurationError($"callbacks[{i}].filepath", template,
                        $"{{{field}}} is not among the fields a training run provides: epoch, batch, {string.Join(", ", logs)}");
        }
        _ = new CallbackEngine(callbacks, new RunInfo(initialLearningRate, workers) { Metrics = SupervisorSettings.Directions(metrics) }); // every callback's own checks
    }

    /// <summary>
    /// Where each ModelCheckpoint and CSV logger writes, checked against the run folder before it is created: a
    /// relative path stays inside the run folder, an absolute one may go anywhere a file can be made, and neither
    /// may name a file the run owns (<see cref="RunPaths.CheckpointTarget"/>, <see cref="RunPaths.LogTarget"/>).
    /// Templates are rendered with sample values (the fields hold numbers, so they cannot add a folder).
    /// </summary>
    public static void CheckOutputPaths(IReadOnlyList<CallbackSettings> callbacks, RunPaths paths)
    {
        for (var i = 0; i < callbacks.Count; i++)
        {
            if (callbacks[i] is CsvLoggerSettings logger)
                Check($"callbacks[{i}].filename", logger.Filename, logger.Filename, paths.LogTarget);
            if (callbacks[i] is not ModelCheckpointSettings s) continue;
            Check($"callbacks[{i}].filepath", s.Filepath, Sample(s.Filepath), paths.CheckpointTarget);
            var last = s.LastFilepath ?? ModelCheckpoint.DefaultLastPath(s.Filepath);
            if (s.SaveLast) Check($"callbacks[{i}].last-filepath", last, Sample(last), paths.CheckpointTarget);
        }

        static string Sample(string template) => PythonFormat.Format(template, PythonFormat.FieldNames(template).Distinct()
            .ToDictionary(n => n, n => n is "epoch" or "batch" ? (object)1L : 0.5));

        static void Check(string field, string given, string sample, Func<string, (string? Path, string? Problem)> target)
        {
            var (path, problem) = target(sample);
            if (problem is null && Path.IsPathRooted(sample)) problem = Unwritable(path!);
            if (problem is not null) throw new ConfigurationError(field, $"\"{given}\"", problem);
        }
    }

    // An absolute checkpoint path: its folder must exist or be creatable (no file in the way), and it must not be a folder.
    private static string? Unwritable(string path)
    {
        if (Directory.Exists(path)) return "is a folder; give a file name";
        for (var folder = Path.GetDirectoryName(path); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder)) return $"cannot be written: {folder} is a file, not a folder";
            if (Directory.Exists(folder)) return null;
        }
        return null;
    }
}
