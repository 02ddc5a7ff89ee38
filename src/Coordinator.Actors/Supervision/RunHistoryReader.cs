using Akka.Actor;
using Coordinator.Actors.Journal;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.State;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

/// <summary>
/// Reads a run's whole history from the journal (every event, no snapshot, through <see cref="JournalReplayer"/>)
/// once the run is over, and publishes how it ended. The supervisor itself keeps only a bounded state, so
/// that recovering it costs the same for a long run as for a short one; the summary is built here.
/// </summary>
public sealed class RunHistoryReader : ReceiveActor
{
    private readonly SupervisorSettings _settings;

    public RunHistoryReader(SupervisorSettings settings, RunProgressPublisher progress, string? error, RunProgress.RunFinished fallback)
    {
        _settings = settings;
        Receive<JournalReplayer.Replayed>(replayed =>
        {
            var history = RunState.Empty;
            foreach (var record in replayed.Records)
                if (record.Payload is IRunEvent e) history = history.Apply(e);
            progress.Publish(new RunProgress.RunFinished(RunSummaries.From(history, settings, error),
                history.Epochs.Select(e => new RunProgress.EpochLog(e.Epoch, e.Logs)).ToList()));
            Context.Stop(Self);
        });
        // The journal cannot be read either: report what the supervisor knew.
        Receive<JournalReplayer.ReplayFailed>(failed =>
        {
            progress.Publish(fallback with
            {
                Summary = fallback.Summary with { Error = $"{fallback.Summary.Error} (the journal could not be read back: {failed.Cause.Message})" },
            });
            Context.Stop(Self);
        });
    }

    public static Props Props(SupervisorSettings settings, RunProgressPublisher progress, string? error, RunProgress.RunFinished fallback) =>
        Akka.Actor.Props.Create(() => new RunHistoryReader(settings, progress, error, fallback));

    protected override void PreStart() => Context.ActorOf(JournalReplayer.Props(_settings.PersistenceId, Self), "replay");
}
