using Coordinator.Callbacks;
using Coordinator.Callbacks.Formatting;
using Coordinator.Configuration;

namespace Coordinator.Cli.Train;

/// <summary>
/// Checks a run's callbacks against the logs a training run produces, before anything trains:
/// a monitor or a file name field that the logs will never hold is a configuration error now,
/// not a warning every epoch or a failure at the first checkpoint.
/// </summary>
public static class RunPreflight
{
    public static readonly IReadOnlyList<string> Logs = ["loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"];

    public static void Check(IReadOnlyList<CallbackSettings> callbacks, double initialLearningRate, int workers)
    {
        for (var i = 0; i < callbacks.Count; i++)
        {
            var (monitor, template) = callbacks[i] switch
            {
                EarlyStoppingSettings s => (s.Monitor, null),
                ReduceLrOnPlateauSettings s => (s.Monitor, null),
                ModelCheckpointSettings s => (s.Monitor, s.Filepath),
                _ => ((string?)null, (string?)null),
            };
            if (monitor is not null && !Logs.Contains(monitor))
                throw new ConfigurationError($"callbacks[{i}].monitor", monitor, $"a training run logs only: {string.Join(", ", Logs)}");
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
                if (field is not ("epoch" or "batch") && !Logs.Contains(field))
                    throw new ConfigurationError($"callbacks[{i}].filepath", template,
                        $"{{{field}}} is not among the fields a training run provides: epoch, batch, {string.Join(", ", Logs)}");
        }
        _ = new CallbackEngine(callbacks, new RunInfo(initialLearningRate, workers)); // every callback's own checks
    }
}
