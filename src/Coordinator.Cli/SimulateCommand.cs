using System.CommandLine;
using Coordinator.Callbacks;
using Coordinator.Configuration;
using Coordinator.Simulation;

namespace Coordinator.Cli;

/// <summary><c>coordinator simulate</c>: replay a metric history through a callback configuration.</summary>
public static class SimulateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var callbacks = new Option<FileInfo>("--callbacks")
        {
            Description = "HOCON file with a `callbacks = [ ... ]` list (see hocon/callbacks.example.conf), or a run's configuration (run.conf)",
            Required = true,
        };
        var metrics = new Option<FileInfo>("--metrics")
        {
            Description = "CSV with a header epoch,<metric names> and one row per epoch; empty cell = metric missing",
            Required = true,
        };
        var batchMetrics = new Option<FileInfo?>("--batch-metrics")
        {
            Description = "optional CSV epoch,batch,<metric names> (0-based), one row per batch, as Keras's on_train_batch_end logs",
        };
        var initialLr = new Option<double?>("--initial-lr")
        {
            Description = "the optimizer's learning rate before the first epoch (default: the configuration's optimizer.learning-rate, " +
                          "else the metrics' learning_rate of epoch 0 when no scheduler is configured, else 0.01)",
        };
        var batchesPerEpoch = new Option<int>("--batches-per-epoch")
        {
            Description = "batches per epoch when no --batch-metrics file is given",
            DefaultValueFactory = _ => 1,
        };
        var workers = new Option<int>("--workers")
        {
            Description = "worker count that a warm-up schedule scales by",
            DefaultValueFactory = _ => 1,
        };

        var command = new Command("simulate",
            "Replay a metric history through a callback configuration and print each epoch's decisions as JSON lines.")
        {
            callbacks, metrics, batchMetrics, initialLr, batchesPerEpoch, workers,
        };
        command.SetAction(parse =>
        {
            try
            {
                var config = SimulationConfigReader.ReadFile(parse.GetValue(callbacks)!.FullName);
                var options = new SimulationOptions(
                    config.Callbacks,
                    MetricCsvReader.ReadEpochs(parse.GetValue(metrics)!.FullName),
                    parse.GetValue(batchMetrics) is { } b ? MetricCsvReader.ReadBatches(b.FullName) : null,
                    parse.GetValue(initialLr) ?? config.InitialLearningRate, // the flag over the file, as for train
                    parse.GetValue(batchesPerEpoch),
                    parse.GetValue(workers));
                var simulator = new Simulator(options);
                simulator.Validate();
                CheckLogFiles(config.Callbacks);
                var summary = simulator.Run(
                    epoch =>
                    {
                        foreach (var write in epoch.Decisions.OfType<LogLineWriteRequested>()) LogFileWriter.Apply(write);
                        stdout.WriteLine(SimulationJson.EpochLine(epoch));
                    },
                    warning => stderr.WriteLine($"warning: {warning.Source}: {warning.Message}"));
                stdout.WriteLine(SimulationJson.FinalLine(summary));
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is ConfigurationError or CallbackConfigurationException or MetricCsvError)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (CallbackException e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    // Every CSV logger's file must be writable before the replay prints anything.
    private static void CheckLogFiles(IReadOnlyList<CallbackSettings> callbacks)
    {
        for (var i = 0; i < callbacks.Count; i++)
            if (callbacks[i] is CsvLoggerSettings log && LogFileWriter.Problem(log.Filename) is { } problem)
                throw new ConfigurationError($"callbacks[{i}].filename", log.Filename, $"cannot be written: {problem}");
    }
}
