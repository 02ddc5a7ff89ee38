using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Coordinator.Actors.Progress;
using Coordinator.Actors.State;
using Coordinator.Actors.Supervision;
using Coordinator.Actors.Workers;
using Coordinator.Cli.Hosting;
using Coordinator.Configuration;
using Coordinator.Core;
using Coordinator.Core.Data;
using Coordinator.Core.Reporting;
using Coordinator.Core.Storage;
using Coordinator.Reporting;
using Coordinator.Training;

namespace Coordinator.Cli.Train;

/// <summary>
/// Runs one training in this process (the embedded default): checks everything first, then a
/// supervisor and N workers in one ActorSystem with a SQLite journal under the run folder. The run's progress is
/// published on the system's event stream; the console, TensorBoard's events and the run's files (summary.json,
/// history.csv, training.png) are its subscribers.
/// </summary>
public sealed class TrainingHost(ITrainingProgress progress)
{
    /// <summary>Checks and prepares a run of <paramref name="config"/>, with <paramref name="training"/> instead of its
    /// training settings when given (a command line's flags); every problem here is a <see cref="ConfigurationError"/>
    /// or <see cref="DataError"/>, raised before any folder is created.</summary>
    public static PreparedRun Prepare(RunConfig config, TrainingSettings? training = null)
    {
        var settings = training is null ? config.Settings : config.Settings with { Training = training };
        training = settings.Training;

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
        RunPreflight.Check(config.Callbacks, settings.Optimizer.LearningRate, training.Workers, TorchReplica.Metrics);
        if (config.AkkaOverrides is not null)
            PersistencePlugins.Check(AkkaConfig.ForSqlite(RunFolder.JournalFile, config.AkkaOverrides));
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

    /// <summary>Runs <paramref name="request"/> to its end, or until <paramref name="ct"/> is cancelled (the run is then
    /// left unfinished, to be resumed). Bad input throws <see cref="ConfigurationError"/> or <see cref="DataError"/>
    /// (nothing created); a journal that cannot be used, <see cref="RunCannotStart"/>.</summary>
    public TrainingResult Run(TrainingRequest request, CancellationToken ct = default)
    {
        string runId, folder;
        PreparedRun prepared;
        var folderExisted = false;
        RunFingerprint fingerprint;
        var changesEpochLimit = false;
        var isResume = request is TrainingRequest.Resume;
        if (request is TrainingRequest.Resume(var resume, var epochLimit))
        {
            if (string.IsNullOrWhiteSpace(resume)) throw new ConfigurationError("--resume", "\"\"", "must name a run folder");
            if (epochLimit is < 1)
                throw new ConfigurationError("--epochs", epochLimit.Value.ToString(CultureInfo.InvariantCulture), "must be 1 or more");
            // A damaged journal fails here, with what is wrong (a missing or 0-byte one is ResumedRun's to judge).
            var journal = Path.Combine(Path.GetFullPath(resume), RunFolder.JournalFile);
            if (SqliteJournalCheck.Problem(journal) is { } problem)
                throw new RunCannotStart($"{journal} {problem}; the run cannot be resumed from it (nothing was changed)");
            var run = ResumedRun.Open(resume, epochLimit);
            (runId, folder) = (run.RunId, run.Folder);
            prepared = Prepare(RunConfigReader.ReadFile(Path.Combine(folder, RunFolder.ConfigCopy)));
            AkkaSettingsCheck.Check(prepared.Config.AkkaOverrides);
            RunPreflight.CheckOutputPaths(prepared.Config.Callbacks, new RunPaths(folder, runId));
            fingerprint = RunFingerprint.Of(prepared.Config.Text, prepared.Settings.Data.Path);
            if (run.State?.Started is { } started)
            {
                var changes = RunFingerprint.Changes(started, fingerprint, prepared.Settings.Data.Path, resume);
                if (changes.Count > 0)
                    throw new ConfigurationError("--resume", resume,
                        "the run's configuration or data changed since it started, so it cannot go on with the decisions it made " +
                        "(nothing was run):\n  " + string.Join("\n  ", changes) +
                        $"\nPut them back, or start a new run with the new settings: coordinator train --config {Path.Combine(resume, RunFolder.ConfigCopy)} --run-dir NEW_FOLDER");
                run.CheckCallbacksFit(prepared, resume);
                if (started.Settings is null)
                    progress.Message("note: this run was started by an older version, which did not record its configuration's and data's SHA-256: changes to them cannot be detected");
            }
            else
                progress.Message($"note: {resume} records no event yet (the run was stopped before it began): it starts from epoch 1 with its {RunFolder.ConfigCopy}");
            // The epoch limit is the journal's (it may have been raised since the start), or --epochs.
            var limit = epochLimit ?? run.State?.EpochLimit;
            if (limit is { } epochs && epochs != prepared.Settings.Training.Epochs)
                prepared = prepared with { Settings = prepared.Settings with { Training = prepared.Settings.Training with { Epochs = epochs } } };
            changesEpochLimit = epochLimit is not null && run.State?.EpochLimit is { } before && before != epochLimit;
            if (changesEpochLimit) progress.Message($"epoch limit: {run.State!.EpochLimit} -> {epochLimit}");
        }
        else
        {
            var (runConfig, trainingSettings, runDir) = (TrainingRequest.NewRun)request;
            if (runDir is { } dir && string.IsNullOrWhiteSpace(dir))
                throw new ConfigurationError("--run-dir", "\"\"", "must name a folder (leave --run-dir out for runs/<run-id>/)");
            prepared = Prepare(runConfig, trainingSettings);
            AkkaSettingsCheck.Check(prepared.Config.AkkaOverrides);
            folderExisted = runDir is not null && Directory.Exists(Path.GetFullPath(runDir));
            (runId, folder) = RunFolder.Create(runDir, (id, path) => RunPreflight.CheckOutputPaths(prepared.Config.Callbacks, new RunPaths(path, id)));
            var runConf = RunFolder.EffectiveConfig(prepared.Config.Text, prepared.Settings);
            File.WriteAllText(Path.Combine(folder, RunFolder.ConfigCopy), runConf);
            fingerprint = RunFingerprint.Of(runConf, prepared.Settings.Data.Path);
        }
        var (settings, split) = (prepared.Settings, prepared.Data);
        var training = settings.Training;
        var wall = Stopwatch.StartNew();

        var threads = settings.ThreadsPerWorker(Environment.ProcessorCount);
        var factory = RunWorker.Factory(settings, split, threads);
        // Crash tests' knobs, as the caller gave them; the loops and the store are handed the policy.
        var faults = request.Faults;
        var setup = RunWorker.Setup(0, settings, split) with { Faults = faults };
        var supervisorSettings = SupervisorSettingsFor(runId, folder, prepared) with
        {
            ConfigSha256 = fingerprint.ConfigSha256, DataSha256 = fingerprint.DataSha256, ConfigSettings = fingerprint.Settings,
            ChangesEpochLimit = changesEpochLimit,
        };

        progress.Message($"{(isResume ? "resuming run" : "run")} {runId}: {training.Workers} worker(s) x {threads} thread(s), sync = {supervisorSettings.Sync}, " +
                         $"{split.Train.Count} training / {split.Validation.Count} validation samples, folder {folder}");

        RunOutcome outcome;
        var written = new TaskCompletionSource<RunSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = AkkaConfig.ForSqlite(Path.Combine(folder, RunFolder.JournalFile), prepared.Config.AkkaOverrides);
        var finished = new TaskCompletionSource<RunOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var akka = HostedActorSystem.Start("coordinator", config, [PluginStartFailures.Filter(config)]);
        var system = akka.System;
        try
        {
            // The run's progress goes to whoever subscribes: the console, TensorBoard's events, the run's files.
            var bridge = ProgressBridge.Start(system, system.EventStream, runId, progress, finished);
            TensorBoardWriter.Start(system, system.EventStream, runId, new TensorBoardTarget(folder, settings.Reporting.TensorBoardUpdateFreq));
            RunFilesWriter.Start(system, system.EventStream, runId, folder, wall, written);
            system.ActorOf(PluginStartWatch.Props(runId), "plugin-start-watch");
            var supervisor = system.ActorOf(TrainingSupervisor.Props(supervisorSettings, RunProgressPublisher.For(system, runId), new FileCheckpointStore(faults)), "supervisor");
            akka.Registry.Register<TrainingSupervisor>(supervisor);
            bridge.Tell(new ProgressBridge.WatchSupervisor(supervisor));
            system.ActorOf(WorkerGroup.Props(setup, Enumerable.Range(0, training.Workers), factory, supervisor), "workers");
            // Cancelled: the journal keeps every epoch completed, so the run can be resumed; nothing more is written.
            try
            {
                finished.Task.Wait(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return new TrainingResult(runId, folder, null);
            }
            outcome = finished.Task.Result;
            // The files are written by their subscriber as the run's end arrives: wait for them.
            if (outcome.Summary is not null && Task.WaitAny([written.Task], TimeSpan.FromMinutes(2)) < 0) // a failed write is thrown below, as it is
                throw new TimeoutException($"the run's files were not written to {folder} within 2 minutes");
        }
        finally
        {
            akka.Stop(TimeSpan.FromSeconds(30));
        }
        // The run could not be read back: nothing was decided or persisted, and no run file is written. A new
        // run's folder holds only what this process made (run.conf, an empty journal): it goes, as after bad input.
        if (outcome.RecoveryFailure is { } failure)
        {
            if (isResume) throw new RunCannotStart($"{failure}; the run was not resumed");
            RunFolder.RemoveUnstarted(folder, removeFolder: !folderExisted);
            throw new RunCannotStart($"{failure}; the run did not start (nothing was left in {folder})");
        }

        RunSummary summary;
        if (outcome.Summary is not null) summary = written.Task.GetAwaiter().GetResult();
        else
        {
            // No report of the run's end reached the subscribers: the files say what this process knows.
            summary = Failed(runId, supervisorSettings, "the supervisor stopped without finishing the run (see the log above)")
                with { WallSeconds = wall.Elapsed.TotalSeconds };
            RunOutputs.Write(folder, summary, outcome.Epochs);
        }
        progress.Finished(summary, folder, summary.FinalModel is { } model ? Path.Combine(folder, model) : null);
        return new TrainingResult(runId, folder, summary);
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
            Membership = training.Membership,
            Metrics = TorchReplica.Metrics,
        };
    }

    private static RunSummary Failed(string runId, SupervisorSettings settings, string error) =>
        new(runId, RunStatus.Failed, 0, 0, null, null, null, null, null, settings.Workers, settings.Sync, 0, [], [], [], null, error);
}

/// <summary>A run that passed every check: its configuration, settings with the flags applied, and data.</summary>
public sealed record PreparedRun(RunConfig Config, RunSettings Settings, DataSplit Data);
