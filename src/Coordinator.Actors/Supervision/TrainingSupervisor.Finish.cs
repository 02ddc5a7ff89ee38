using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Coordinator.Actors.Protocol;
using Coordinator.Callbacks;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

// The end (best weights, final evaluation, report), failures in every phase, and persisting.
public sealed partial class TrainingSupervisor
{
    // ---- Phase: the end: restore best weights, evaluate the model kept, write it, report.
    private void Finish()
    {
        var ended = _engine.EndTrain();
        foreach (var d in ended.Decisions) Observe(d);
        if (ended.RestoredWeightsEpoch is not { } epoch || _state.BestWeights is not { } best)
        {
            EvaluateFinal();
            return;
        }
        var source = ended.Decisions.OfType<Callbacks.BestWeightsRestored>().First().Source;
        var events = new List<IRunEvent>();
        var path = _paths.Resolve(best.File.Path);
        if (Problem(best.File) is { } problem)
        {
            events.Add(new CheckpointCorrupted(best.File.Path, best.File.Sha256, problem));
            Report(new RunProgress.Warning($"the best weights {_paths.Display(best.File.Path)} are {problem}; falling back to the newest valid checkpoint"));
            var fallback = _state.Checkpoints.LastOrDefault(c => !c.Deleted && c.Saved.Kind == "regular" &&
                                                                 _store.Problem(_paths.Resolve(c.Saved.Path), c.Saved.Sha256, c.Saved.Bytes) is null);
            if (fallback is null)
            {
                PersistThen(events, () => Fail($"the best weights ({path}) are {problem}, and no valid checkpoint is left to restore"));
                return;
            }
            path = _paths.Resolve(fallback.Saved.Path);
        }
        if (_state.Restored is null) events.Add(new Events.RunEvents.BestWeightsRestored(epoch, source));
        byte[] weights;
        try
        {
            weights = _store.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            PersistThen(events, () => Fail($"the weights to restore ({path}) could not be read: {e.Message}"));
            return;
        }
        PersistThen(events, () => AskMembers(_members.Ring, (id, _, _) => new WorkerCommands.LoadWeights(id, weights),
            (WorkerReports.WeightsLoaded l) => l.RequestId, loaded =>
            {
                if (loaded.Select(l => l.ParameterHash).Distinct().Count() > 1)
                    Report(new RunProgress.Warning("replicas differ after loading the best weights"));
                EvaluateFinal();
            }));
    }

    private void EvaluateFinal() =>
        AskMembers(_members.Ring, (id, rank, count) => new WorkerCommands.Evaluate(id, rank, count),
            (WorkerReports.Evaluated r) => r.RequestId, results =>
            {
                var final = EpochAggregation.Final(results);
                StoreWeights(_settings.FinalModelPath, written =>
                    PersistThen([new RunCompleted(_state.Stop is null ? "completed" : "stopped", final, written.Path, written.Sha256,
                        written.Bytes, _wall.Elapsed.TotalSeconds)], () => Done(_state.Stop is null ? "completed" : "stopped")));
            }, askAgainOnLoss: true);

    /// <summary>The run is over: every worker is told (they stop), and the run's end is reported.</summary>
    private void Done(string outcome, string? error = null)
    {
        Timers.CancelAll();
        Become(() =>
        {
            // A worker that registers after the end (a retry, a late node) is told so, and stops.
            Command<WorkerReports.RegisterWorker>(_ => Sender.Tell(new WorkerCommands.RunEnded(Version, outcome)));
            Command<object>(_ => { });
        });
        foreach (var worker in _members.Everyone) worker.Tell(new WorkerCommands.RunEnded(Version, outcome));
        ReportFinished(error);
    }

    // The summary needs the whole history, which the bounded state does not hold: read it back.
    private void ReportFinished(string? error = null) =>
        Context.ActorOf(RunHistoryReader.Props(_settings, _progress, error, Finished(error)), $"history-{++_nextRequest}");

    // ---- Failures, in every phase.
    private void CommonFailures()
    {
        Command<WorkerReports.WorkerFailed>(_ => _members.Knows(Sender), f => LostBetweenEpochs(Sender, $"failed: {f.Reason}", () => { }));
        Command<WorkerReports.WorkerFailed>(f => _log.Warning("worker {0} failed: {1}", f.Name, f.Reason));
        Command<Terminated>(t => _members.Knows(t.ActorRef), t => LostBetweenEpochs(t.ActorRef, "stopped (its process or node is gone)", () => { }));
        Command<Terminated>(_ => { });
        Command<WorkerReports.BatchTrained>(_ => { }); // late batch reports of a finished or abandoned attempt
        Command<WorkerReports.EpochTrained>(_ => { });
        Command<WorkerReports.EpochAborted>(_ => { });
        // Only the newest snapshot is ever loaded: drop the ones before it.
        Command<SaveSnapshotSuccess>(ok => DeleteSnapshots(new SnapshotSelectionCriteria(ok.Metadata.SequenceNr - 1)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("old snapshots could not be deleted: {0}", f.Cause.Message));
        Command<SaveSnapshotFailure>(f => Report(new RunProgress.Warning($"a snapshot could not be saved: {f.Cause.Message}")));
    }

    private void Fail(string reason)
    {
        _log.Error("run {0} failed: {1}", _settings.RunId, reason);
        Timers.CancelAll();
        PersistThen([new RunFailed(reason, _wall.Elapsed.TotalSeconds)], () => Done("failed"));
    }

    /// <summary>
    /// Persists the events, applies each, snapshots when due, and continues once the last is stored.
    /// (A counter, not DeferAsync: a Persist issued from inside a DeferAsync handler left later
    /// replies undelivered.)
    /// </summary>
    private void PersistThen(IReadOnlyList<IRunEvent> events, Action then)
    {
        if (events.Count == 0)
        {
            then();
            return;
        }
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            _state = _state.Apply(e);
            if (--remaining > 0) return;
            if (LastSequenceNr - _lastSnapshotAt >= _settings.SnapshotEvery)
            {
                _lastSnapshotAt = LastSequenceNr;
                SaveSnapshot(_state);
            }
            then();
        });
    }

    private void Observe(CallbackDecision decision)
    {
        if (decision is CallbackWarning w) Report(new RunProgress.Warning(w.Message, w.Source));
    }

    // The run cannot be read back (a journal or snapshot store that did not start, an event that cannot be
    // read): report it at once, in one line, rather than after its wait for a report. Akka stops this
    // actor after this call; nothing was decided, so nothing is persisted. The base would log a stack trace;
    // a subscriber prints the line, so the log only has it at info level.
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        var text = $"run {_settings.RunId}: its journal could not be read back ({PersistenceId}): {reason.GetBaseException().Message.TrimEnd('.')}";
        _log.Info(text);
        Report(new RunProgress.RecoveryFailed(text));
    }

    // The journal cannot be written: stop deciding (nothing more is persisted), report what failed
    // with the history written so far, and leave the actor alive until the report is out.
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        StopAfterJournalFault($"the journal could not be written ({@event.GetType().Name}, sequence {sequenceNr}): {cause.Message}");

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
        StopAfterJournalFault($"the journal rejected {@event.GetType().Name} (sequence {sequenceNr}): {cause.Message}");

    private void StopAfterJournalFault(string message)
    {
        if (_journalFaulted) return; // a rejected batch calls back once per event: report the first
        _journalFaulted = true;
        _log.Error("run {0}: {1}", _settings.RunId, message);
        Timers.CancelAll();
        Become(() => Command<object>(_ => { }));
        // Akka.Persistence stops this actor after a journal failure, and its children with it, so
        // the reader that reports the run must not be a child.
#pragma warning disable AK1008
        Context.System.ActorOf(RunHistoryReader.Props(_settings, _progress, message, Finished(message)));
#pragma warning restore AK1008
    }

    /// <summary>What the bounded state alone can say (if the journal cannot be read back).</summary>
    private RunProgress.RunFinished Finished(string? error = null) =>
        new(RunSummaries.From(_state, _settings, error), _state.Epochs.Select(e => new RunProgress.EpochLog(e.Epoch, e.Logs)).ToList());
}
