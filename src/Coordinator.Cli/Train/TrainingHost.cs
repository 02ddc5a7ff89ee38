using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Coordinator.Actors.Supervision;
using Coordinator.Actors.Workers;
using Coordinator.Cli.Hosting;
using Coordinator.Configuration;
using Coordinator.Core;
using Coordinator.Core.Data;
using Coordinator.Core.Reporting;
using Coordinator.Reporting;
using Coordinator.Training;

namespace Coordinator.Cli.Train;

/// <summary>
/// Runs one training in this process (the embedded default): checks everything first, then a
/// supervisor and N workers in one ActorSystem with a SQLite journal under the run folder, and at
/// the end writes summary.json, history.csv, TensorBoard events and training.png.
/// </summary>
public sealed class TrainingHost(TrainOptions options, ITrainingProgress progress)
{
    /// <summary>Checks and prepares a run; every problem here is a <see cref="ConfigurationError"/>
    /// or <see cref="DataError"/>, raised before any folder is created.</summary>
    public static PreparedRun Prepare(TrainOptions options)
    {
        var path = options.ConfigPath ?? throw new ConfigurationError("--config", "(missing)", "give a run configuration, or --resume RUN_DIR");
        var config = SetOverrides.Apply(RunConfigReader.ReadFile(path), path, options.Sets ?? []);
        var settings = config.Settings with { Training = WithFlags(config, path, options) };
        var training = settings.Training;

        var data = TabularCsvLoader.Load(settings.Data.Path, settings.Data.Format);
        var split = DataSplitter.Split(data, settings.Data.ValidationSplit, training.Seed);
        var rows = $"{data.Count} rows, {split.Validation.Count} of them for validation with data.validation-split = {settings.Data.ValidationSplit.ToString(CultureInfo.InvariantCulture)}";
        if (split.Train.Count == 0)
            throw new ConfigurationError("data.validation-split", settings.Data.ValidationSplit.ToString(CultureInfo.InvariantCulture),
                $"leaves no training samples ({rows}); give a smaller fraction or more data");
        if (training.Workers > split.Train.Count)
            throw new ConfigurationError("training.workers", training.Workers.ToString(CultureInfo.InvariantCulture),
                $"must not exceed the {split.Train.Count} training samples ({rows}): each worker needs a shard");
        CheckModelSize(settings.Model, data);
        RunPreflight.Check(config.Callbacks, settings.Optimizer.LearningRate, training.Workers);
        return new PreparedRun(config, settings, split);
    }

    // The replicas' parameters travel as one flat float array: a .NET array's length bounds the model.
    private static void CheckModelSize(Core.Model.ModelSettings model, Dataset data)
    {
        long total = 0, inputs = data.FeatureCount;
        foreach (var width in model.Hidden.Append(data.ClassCount))
        {
            total += inputs * width + width; // each term below 2^63: every layer is at most int.MaxValue wide
            inputs = width;
            if (total > Array.MaxLength) break;
        }
        if (total > Array.MaxLength)
            throw new ConfigurationError("model.hidden", $"[{string.Join(", ", model.Hidden)}]",
                $"gives a model of at least {total} parameters ({data.FeatureCount} features, {data.ClassCount} classes); at most {Array.MaxLength}");
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

    public int Run()
    {
        string runId, folder;
        PreparedRun prepared;
        if (options.Resume is { } resume)
        {
            if (options.ConfigPath is not null || options.Workers is not null || options.Epochs is not null || options.Seed is not null || options.RunDir is not null
                || options.Sets is { Count: > 0 })
                throw new ConfigurationError("--resume", resume,
                    "takes no other options: a run continues with the settings it started with (saved in its run.conf)");
            if (string.IsNullOrWhiteSpace(resume)) throw new ConfigurationError("--resume", "\"\"", "must name a run folder");
            (runId, folder) = RunFolder.OpenForResume(resume);
            prepared = Prepare(new TrainOptions(Path.Combine(folder, RunFolder.ConfigCopy)));
            AkkaSettingsCheck.Check(prepared.Config.AkkaOverrides);
        }
        else
        {
            if (options.RunDir is { } dir && string.IsNullOrWhiteSpace(dir))
                throw new ConfigurationError("--run-dir", "\"\"", "must name a folder (leave --run-dir out for runs/<run-id>/)");
            prepared = Prepare(options);
            AkkaSettingsCheck.Check(prepared.Config.AkkaOverrides);
            (runId, folder) = RunFolder.Create(options.RunDir);
            File.WriteAllText(Path.Combine(folder, RunFolder.ConfigCopy), RunFolder.EffectiveConfig(prepared.Config.Text, prepared.Settings));
        }
        var (settings, split) = (prepared.Settings, prepared.Data);
        var training = settings.Training;
        var wall = Stopwatch.StartNew();

        var threads = settings.ThreadsPerWorker(Environment.ProcessorCount);
        var factory = new TorchReplicaFactory(split, settings.Model, settings.Optimizer, training.Seed, threads);
        var setup = new WorkerSetup(0, split.Train.Count, split.Validation.Count, training.GlobalBatch,
            training.Seed, settings.Data.Shuffle, training.Sync, training.SyncEvery);
        var supervisorSettings = SupervisorSettingsFor(runId, folder, prepared);

        progress.Message($"{(options.Resume is null ? "run" : "resuming run")} {runId}: {training.Workers} worker(s) x {threads} thread(s), sync = {supervisorSettings.Sync}, " +
                         $"{split.Train.Count} training / {split.Validation.Count} validation samples, folder {folder}");

        RunOutcome outcome;
        var system = ActorSystem.Create("coordinator", AkkaConfig.ForSqlite(Path.Combine(folder, RunFolder.JournalFile), prepared.Config.AkkaOverrides));
        try
        {
            var finished = new TaskCompletionSource<RunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            var bridge = system.ActorOf(ProgressBridge.Props(progress, finished), "progress");
            var supervisor = system.ActorOf(TrainingSupervisor.Props(supervisorSettings, bridge), "supervisor");
            bridge.Tell(new ProgressBridge.WatchSupervisor(supervisor));
            system.ActorOf(WorkerGroup.Props(setup, Enumerable.Range(0, training.Workers), factory, supervisor), "workers");
            outcome = finished.Task.GetAwaiter().GetResult();
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }

        var summary = (outcome.Summary ?? Failed(runId, supervisorSettings, "the supervisor stopped without finishing the run (see the log above)"))
            with { WallSeconds = wall.Elapsed.TotalSeconds };
        RunOutputs.Write(folder, summary, outcome.Epochs, progress.Message);
        progress.Finished(summary, folder, summary.FinalModel is { } model ? Path.Combine(folder, model) : null);
        return summary.Status == RunStatus.Failed ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>The supervisor's settings for a prepared run (also used by cluster nodes).</summary>
    public static SupervisorSettings SupervisorSettingsFor(string runId, string folder, PreparedRun prepared)
    {
        var (settings, split) = (prepared.Settings, prepared.Data);
        var training = settings.Training;
        return new SupervisorSettings(runId, folder, training.Workers, training.Epochs,
            new ShardPlan(split.Train.Count, training.GlobalBatch, training.Workers, training.Seed, settings.Data.Shuffle).StepsPerEpoch,
            prepared.Config.Callbacks, settings.Optimizer.LearningRate, training.Sync.ToString().ToLowerInvariant(), training.Seed,
            prepared.Config.Sha256, training.EpochTimeout ?? TimeSpan.FromMinutes(5), training.SnapshotEvery)
        {
            MinWorkers = training.MinWorkers, MaxWorkers = training.MaxWorkers, MaxRestarts = training.MaxRestarts,
        };
    }

    private static RunSummary Failed(string runId, SupervisorSettings settings, string error) =>
        new(runId, RunStatus.Failed, 0, 0, null, null, null, null, null, settings.Workers, settings.Sync, 0, [], [], [], null, error);
}

/// <summary>A run that passed every check: its configuration, settings with the flags applied, and data.</summary>
public sealed record PreparedRun(RunConfig Config, RunSettings Settings, DataSplit Data);
