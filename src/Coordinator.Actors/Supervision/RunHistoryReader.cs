using Akka.Actor;
using Akka.Persistence;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.State;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

/// <summary>
/// Reads a run's whole history from the journal (every event, no snapshot) once the run is over,
/// and publishes how it ended. The supervisor itself keeps only a bounded state, so that
/// recovering it costs the same for a long run as for a short one; the summary is built here.
/// </summary>
public sealed class RunHistoryReader : ReceivePersistentActor
{
    private readonly SupervisorSettings _settings;
    private readonly RunProgressPublisher _progress;
    private readonly string? _error;
    private readonly RunProgress.RunFinished _fallback;
    private RunState _history = RunState.Empty;

    public RunHistoryReader(SupervisorSettings settings, RunProgressPublisher progress, string? error, RunProgress.RunFinished fallback)
    {
        (_settings, _progress, _error, _fallback) = (settings, progress, error, fallback);
        Recover<IRunEvent>(e => _history = _history.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            _progress.Publish(new RunProgress.RunFinished(RunSummaries.From(_history, _settings, _error),
                _history.Epochs.Select(e => new RunProgress.EpochLog(e.Epoch, e.Logs)).ToList()));
            Context.Stop(Self);
        });
    }

    public override string PersistenceId => _settings.PersistenceId;

    public override Recovery Recovery => new(SnapshotSelectionCriteria.None);

    public static Props Props(SupervisorSettings settings, RunProgressPublisher progress, string? error, RunProgress.RunFinished fallback) =>
        Akka.Actor.Props.Create(() => new RunHistoryReader(settings, progress, error, fallback));

    // The journal cannot be read either: report what the supervisor knew.
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _progress.Publish(_fallback with
        {
            Summary = _fallback.Summary with { Error = $"{_fallback.Summary.Error} (the journal could not be read back: {reason.Message})" },
        });
        base.OnRecoveryFailure(reason, message);
    }
}
