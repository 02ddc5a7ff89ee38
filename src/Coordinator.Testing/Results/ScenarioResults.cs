using System.Globalization;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.State;
using Coordinator.Actors.Supervision;
using Coordinator.Testing.Simulation;
using Coordinator.Testing.Storage;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Testing.Results;

/// <summary>Folds a scenario's journal, store and observations into its <see cref="ScenarioResult"/>.</summary>
internal static class ScenarioResults
{
    public static ScenarioResult From(SupervisorSettings settings, IReadOnlyList<IRunEvent> events, InMemoryCheckpointStore store,
        ActivityRecorder recorder, IReadOnlyList<object> progress, IReadOnlyList<RunProgress.RunFinished> finishes, int supervisors,
        TimeSpan virtualTime, TimeSpan wallTime)
    {
        var state = events.Aggregate(RunState.Empty, (s, e) => s.Apply(e));
        var summary = finishes[^1].Summary;
        int? WeightsIn(string path) => store.Files.TryGetValue(settings.Paths.Resolve(path), out var bytes) ? SimulatedReplica.EpochOfWeights(bytes) : null;

        var epochs = state.Epochs.Select(e => new EpochOutcome(e.Epoch, e.LearningRate, e.Logs)).ToList();
        var changes = state.LearningRateChanges.Select(c => new RateChange(c.Epoch, c.From, c.To, c.Reason, c.Source)).ToList();
        var checkpoints = state.Checkpoints.Select(c => new SavedCheckpoint(c.Saved.Epoch, c.Saved.Batch,
            Path.GetRelativePath(settings.CheckpointFolder, settings.Paths.Resolve(c.Saved.Path)), c.Saved.Monitor, c.Saved.MonitorValue, c.Saved.Kind, c.Deleted,
            c.Deleted ? null : WeightsIn(c.Saved.Path))).ToList();
        var stop = state.Stop is { } s ? new StopOutcome(s.Epoch, s.Batch, s.Kind, s.Source, s.Reason) : null;
        var finalWeights = state.Completed is { } done ? WeightsIn(done.FinalModelPath) : null;

        return new ScenarioResult
        {
            Status = summary.Status,
            Error = summary.Error,
            Summary = summary,
            Epochs = epochs,
            RateChanges = changes,
            Checkpoints = checkpoints,
            Stop = stop,
            RestoredWeightsEpoch = state.Restored?.Epoch,
            FinalWeightsEpoch = finalWeights,
            Final = state.Completed?.Final,
            LostWorkers = state.MembershipChanges.OfType<WorkerLost>().ToList(),
            Joins = state.MembershipChanges.OfType<WorkerJoined>().ToList(),
            Restarts = state.MembershipChanges.OfType<EpochRestarted>().ToList(),
            Resumes = state.Resumes,
            Rewinds = events.OfType<RunRewound>().ToList(),
            Corruptions = state.Corruptions,
            Warnings = progress.OfType<RunProgress.Update>().Select(ProgressText.Warning).OfType<string>().ToList(),
            Notes = progress.OfType<RunProgress.Update>().Select(ProgressText.Note).OfType<string>().ToList(),
            Faults = recorder.Faults,
            Activity = recorder.Activity,
            Events = events,
            Progress = progress,
            Supervisors = supervisors,
            VirtualTime = virtualTime,
            WallTime = wallTime,
        };
    }

    /// <summary>One line per decision, grouped by epoch, numbers written so that they read back exactly.</summary>
    internal static IReadOnlyList<string> DecisionLines(ScenarioResult r)
    {
        var lines = new List<string>();
        foreach (var e in r.Epochs)
        {
            var logs = string.Join(", ", e.Logs.Where(kv => kv.Key != "learning_rate").OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{kv.Key} {Number(kv.Value)}"));
            lines.Add($"epoch {e.Epoch}: lr {Number(e.LearningRate)}; {logs}");
            lines.AddRange(r.RateChanges.Where(c => c.Epoch == e.Epoch)
                .Select(c => $"epoch {c.Epoch}: lr {Number(c.From)} -> {Number(c.To)} ({c.Reason}, {c.Source})"));
            lines.AddRange(r.Checkpoints.Where(c => c.Epoch == e.Epoch).Select(c =>
                $"epoch {c.Epoch}{(c.Batch is { } b ? $" batch {b}" : "")}: {c.Kind} checkpoint {c.File} ({c.Monitor} {Number(c.MonitorValue)})" +
                (c.Deleted ? ", deleted since" : $", holding the weights of epoch {c.WeightsEpoch?.ToString(CultureInfo.InvariantCulture) ?? "?"}")));
            if (r.Stop is { } s && s.Epoch == e.Epoch)
                lines.Add($"epoch {s.Epoch}{(s.Batch is { } b ? $" batch {b}" : "")}: stopped ({s.Kind}, {s.Source}): {s.Reason}");
        }
        if (r.RestoredWeightsEpoch is { } restored) lines.Add($"end: the best weights, of epoch {restored}, restored");
        lines.Add($"end: {r.Status.ToString().ToLowerInvariant()}{(r.Error is null ? "" : ": " + r.Error)}");
        if (r.Final is { } f)
            lines.Add($"end: the final model holds the weights of epoch {r.FinalWeightsEpoch?.ToString(CultureInfo.InvariantCulture) ?? "?"}: " +
                      string.Join(", ", f.Logs.Items.Select(l => $"{l.Key} {Number(l.Value)}")));
        return lines;
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "none";
}
