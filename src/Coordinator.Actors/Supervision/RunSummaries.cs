using Coordinator.Actors.State;
using Coordinator.Callbacks;
using Coordinator.Callbacks.Monitoring;
using Coordinator.Core.Reporting;

namespace Coordinator.Actors.Supervision;

/// <summary>Builds <c>summary.json</c>'s contents from the run's events alone. Epochs count from 0 in it, the stop
/// reason's sentence included (the journal keeps the sentence as the screen shows it): <see cref="EpochNumbering"/>.</summary>
public static class RunSummaries
{
    public static RunSummary From(RunState state, SupervisorSettings settings, string? error = null)
    {
        var (monitor, direction) = Monitor(settings.Callbacks, settings.RunInfo.Metrics);
        var history = state.Epochs.Select(e => Record(e.Epoch, e.LearningRate, e.Logs, e.Seconds)).ToList();

        int? bestEpoch = null;
        double? best = null;
        var cmp = new MonitorComparison(direction, 0);
        foreach (var e in state.Epochs)
            if (e.Logs.TryGetValue(monitor, out var v) && (best is null || cmp.Better(v, best.Value)) && !double.IsNaN(v))
                (bestEpoch, best) = (e.Epoch, v);
        if (state.Restored is { } restored)
        {
            bestEpoch = restored.Epoch;
            best = state.Epochs.FirstOrDefault(e => e.Epoch == restored.Epoch)?.Logs.GetValueOrDefault(monitor);
        }

        var status = state.Failed is not null || error is not null ? RunStatus.Failed
            : state.Stop is not null ? RunStatus.Stopped
            : RunStatus.Completed;
        return new RunSummary(
            settings.RunId, status, state.EpochsRun, state.Stop?.Epoch ?? 0,
            state.Stop?.Reason is { } reason ? EpochNumbering.ToFile(reason) : null, monitor, bestEpoch, best,
            state.Completed?.Final, settings.Workers, settings.Sync,
            state.Completed?.WallSeconds ?? state.Failed?.WallSeconds ?? 0,
            history,
            state.LearningRateChanges.Select(c => new LrChangeRecord(c.Epoch, c.From, c.To, c.Reason)).ToList(),
            state.Checkpoints.Select(c => new CheckpointRecord(
                c.Saved.Epoch, settings.Paths.Display(c.Saved.Path), c.Saved.Sha256, c.Saved.Bytes, c.Saved.MonitorValue, c.Deleted)).ToList(),
            state.Completed is { } done ? settings.Paths.Display(done.FinalModelPath) : null,
            error ?? state.Failed?.Reason);
    }

    /// <summary>The metric the run is judged by: the first EarlyStopping's, else ModelCheckpoint's, else ReduceLROnPlateau's.</summary>
    public static (string Monitor, Direction Direction) Monitor(IReadOnlyList<CallbackSettings> callbacks,
        IReadOnlyDictionary<string, Direction?>? declared = null)
    {
        foreach (var c in callbacks.OfType<EarlyStoppingSettings>()) return (c.Monitor, MetricDirections.Resolve(c.Type, c.Monitor, c.Mode, declared));
        foreach (var c in callbacks.OfType<ModelCheckpointSettings>()) return (c.Monitor, MetricDirections.Resolve(c.Type, c.Monitor, c.Mode, declared));
        foreach (var c in callbacks.OfType<ReduceLrOnPlateauSettings>()) return (c.Monitor, MetricDirections.Resolve(c.Type, c.Monitor, c.Mode, declared));
        return ("val_loss", Direction.Minimize);
    }

    /// <summary>An epoch's record: its logs as logged, the rate apart (<c>learning_rate</c> is the record's lr).</summary>
    public static EpochRecord Record(int epoch, double learningRate, IEnumerable<KeyValuePair<string, double>> logs, double seconds) =>
        new(epoch, learningRate, new NamedValues(logs.Where(l => l.Key != "learning_rate")), seconds);
}
