using System.CommandLine;
using System.Runtime.InteropServices;
using Coordinator.Callbacks;
using Coordinator.Configuration;
using Coordinator.Core.Data;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;

namespace Coordinator.Cli.Train;

/// <summary><c>coordinator train</c>: a real training run on this machine.</summary>
public static class TrainCommand
{
    public static Command Create(TextWriter stderr)
    {
        var config = new Option<FileInfo?>("--config")
        {
            Description = "required (unless --resume): the run configuration (HOCON), e.g. hocon/digits.conf. Its data.path is a CSV "
                          + "(optionally .gz), one row per sample: the features (numbers), then the label, a class 0..K-1, in the last column; "
                          + "every class needs a row, and there must be two or more",
        };
        var workers = new Option<int?>("--workers") { Description = "number of workers (overrides training.workers)" };
        var epochs = new Option<int?>("--epochs") { Description = "epoch limit (overrides training.epochs)" };
        var seed = new Option<long?>("--seed") { Description = "seed for the split, the data order and the initial weights (overrides training.seed)" };
        var runDir = new Option<string?>("--run-dir") { Description = "folder for this run (default: runs/<run-id>/); must be new or empty" };
        var resume = new Option<string?>("--resume") { Description = "continue the unfinished run in this folder, with the settings it started with" };
        var set = new Option<string[]>("--set")
        {
            Description = "override one configuration value, e.g. --set training.batch-size=64 (repeatable; applied on top of the file, "
                          + "the flags above on top of them)",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("train",
            "Train a model with N worker actors and one supervisor running the configured callbacks; every decision is persisted. "
            + "Exit codes: 0 done, 1 the run failed, 2 bad input (nothing created).")
        {
            config, workers, epochs, seed, runDir, resume, set,
        };
        command.SetAction(parse =>
        {
            var options = new TrainOptions(parse.GetValue(config)?.FullName, parse.GetValue(workers), parse.GetValue(epochs),
                parse.GetValue(seed), parse.GetValue(runDir), parse.GetValue(resume), parse.GetValue(set) ?? []);
            using var progress = ConsoleProgress.Create();
            // Ctrl+C: the first one ends the run here (the journal keeps every epoch completed, so it can be
            // resumed); a second one ends the process at once, as Ctrl+C usually does.
            using var interrupt = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = !interrupt.IsCancellationRequested;
                interrupt.Cancel();
            });
            try
            {
                var result = new TrainingHost(progress).Run(
                    // Crash tests' knobs, read once here from the environment.
                    TrainConfig.Request(options) with { Faults = Core.Storage.FaultInjection.FromEnvironment() }, interrupt.Token);
                if (result.Summary is { } summary) return summary.Status == RunStatus.Failed ? ExitCodes.Failed : ExitCodes.Ok;
                // The live display ends first (no half-drawn bar), then what happened and how to go on.
                progress.Dispose();
                progress.Message($"Run {result.RunId} interrupted (Ctrl+C); the epochs completed so far are kept in {result.Folder}");
                progress.Message($"  resume it with: coordinator train --resume {result.Folder}");
                return ExitCodes.Interrupted;
            }
            catch (Exception e) when (e is ConfigurationError or CallbackConfigurationException or DataError)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (RunCannotStart e)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
