using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.State;
using Coordinator.Callbacks;
using Coordinator.Callbacks.State;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

/// <summary>
/// The supervisor: owns the epoch barrier and the callbacks. It starts each epoch at the rate the
/// callbacks chose, waits for every worker's report (failing the run, naming the silent worker,
/// after the epoch timeout), turns the reports into one set of logs, runs the callbacks, writes
/// the files they asked for and every worker's resume state, then persists the epoch's decisions
/// in one batch and broadcasts them: the next rate, or stop. A new supervisor with the same
/// persistence id continues from the newest resume state whose files verify.
/// Phases: waiting for workers, resuming, training an epoch, ending an epoch, finishing, done.
/// </summary>
public sealed class TrainingSupervisor : ReceivePersistentActor, IWithTimers
{
    private readonly SupervisorSettings _settings;
    private readonly IActorRef _observer;
    private readonly CallbackEngine _engine;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef?[] _workers;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private RunState _state;
    private long _nextRequest;
    private long _lastSnapshotAt;
    private bool _journalFaulted;

    // Per-epoch working state (not persisted: an interrupted epoch is trained again).
    private readonly Dictionary<int, WorkerReports.EpochTrained> _reports = [];
    private readonly List<CallbackDecision> _epochDecisions = [];
    private StepLosses _steps;
    private Stopwatch _epochClock = new();
    private bool _stopBroadcast;

    public TrainingSupervisor(SupervisorSettings settings, IActorRef observer)
    {
        (_settings, _observer) = (settings, observer);
        _engine = new CallbackEngine(settings.Callbacks, new RunInfo(settings.InitialLearningRate, settings.Workers));
        _workers = new IActorRef?[settings.Workers];
        _steps = new StepLosses(settings.Workers);
        _state = RunState.Bounded(settings.KeepResumeStates + 1);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is RunState snapshot) (_state, _lastSnapshotAt) = (snapshot, offer.Metadata.SequenceNr);
        });
        Recover<IRunEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            if (LastSequenceNr > 0) _observer.Tell(new RunProgress.Recovered(_lastSnapshotAt, LastSequenceNr, _state.Epochs.Count));
        });
        WaitingForWorkers();
    }

    public override string PersistenceId => _settings.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SupervisorSettings settings, IActorRef observer) =>
        Akka.Actor.Props.Create(() => new TrainingSupervisor(settings, observer));

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartSingleTimer("workers-timeout", new WorkersTimedOut(), _settings.EpochTimeout);
    }

    // ---- Phase: waiting for every worker to build its replica and find its ring successor.
    private void WaitingForWorkers()
    {
        Command<WorkerReports.WorkerReady>(ready =>
        {
            _workers[ready.Worker] = Sender;
            Context.Watch(Sender);
            if (_workers.Any(w => w is null)) return;
            Timers.Cancel("workers-timeout");
            if (_state.Completed is not null)
                Done(); // nothing to do: report how it ended, persist nothing
            else if (_state.Started is null)
                PersistThen([new RunStarted(_settings.RunId, _settings.Workers, _settings.Sync, _settings.Seed, _settings.Epochs,
                    _settings.InitialLearningRate, ready.ParameterCount, _settings.ConfigSha256, DateTimeOffset.UtcNow)], () =>
                {
                    foreach (var d in _engine.TrainBegin()) Observe(d);
                    BeginEpoch(0);
                });
            else
                Resume();
        });
        Command<WorkersTimedOut>(_ =>
        {
            var missing = Enumerable.Range(0, _settings.Workers).Where(i => _workers[i] is null);
            Fail($"worker(s) {string.Join(", ", missing)} did not get ready within {_settings.EpochTimeout.TotalSeconds:0}s");
        });
        CommonFailures();
    }

    // ---- Phase: resuming a run that a previous process left unfinished.
    private void Resume()
    {
        var events = new List<IRunEvent>();
        ResumeStateSaved? usable = null;
        foreach (var candidate in _state.ResumeStates.Reverse())
        {
            var bad = candidate.Files.Select(f => (File: f, Problem: FileCheck.Problem(f))).Where(x => x.Problem is not null).ToList();
            if (bad.Count == 0)
            {
                usable = candidate;
                break;
            }
            events.AddRange(bad.Select(b => new CheckpointCorrupted(b.File.Path, b.File.Sha256, b.Problem!)));
        }
        var target = usable?.Epoch ?? -1;
        if (_state.Epochs.Any(e => e.Epoch > target))
            events.Add(new RunRewound(target, $"the resume state of epoch {_state.Epochs[^1].Epoch} could not be used"));
        events.Add(new RunResumed(target, DateTimeOffset.UtcNow));

        PersistThen(events, () =>
        {
            foreach (var c in events.OfType<CheckpointCorrupted>())
                _observer.Tell(new RunProgress.Warning($"{c.Path} is {c.Problem}; it was not loaded"));
            RemoveFilesTheJournalDoesNotKeep();
            if (usable is null)
            {
                foreach (var d in _engine.TrainBegin()) Observe(d);
                BeginEpoch(0); // fresh replicas are identical: they start from the seed
                return;
            }
            _engine.RestoreState(CallbackJsonContext.Deserialize(_state.Epochs.Single(e => e.Epoch == target).CallbackState));
            _observer.Tell(new RunProgress.Note($"resuming after epoch {target + 1} (of {_settings.Epochs})"));
            AskEveryWorker((id, w) => new WorkerCommands.LoadTrainingState(id, usable.Files[w % usable.Files.Count].Path),
                (WorkerReports.TrainingStateLoaded r) => (r.RequestId, r.Worker), _ => ContinueAfter(target));
        });
    }

    // A crash can leave files behind: one a stored batch says is deleted, a checkpoint or resume
    // state whose batch was never stored, a temporary file of an interrupted write. The journal
    // names every file the run still needs; in the run's own folders, the rest goes.
    private void RemoveFilesTheJournalDoesNotKeep()
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in _state.Checkpoints.Where(c => !c.Deleted)) keep.Add(Path.GetFullPath(c.Saved.Path));
        foreach (var f in _state.ResumeStates.SelectMany(r => r.Files)) keep.Add(Path.GetFullPath(f.Path));
        if (_state.BestWeights is { } best) keep.Add(Path.GetFullPath(best.File.Path));
        foreach (var folder in new[] { _settings.CheckpointFolder, _settings.StateFolder }.Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(folder))
                if (!keep.Contains(Path.GetFullPath(file))) TryDelete(file);
    }

    private void ContinueAfter(int epoch)
    {
        if (_engine.StopTraining || epoch + 1 >= _settings.Epochs) Finish();
        else BeginEpoch(epoch + 1);
    }

    // ---- Phase: one epoch in flight.
    private void BeginEpoch(int epoch)
    {
        _reports.Clear();
        _epochDecisions.Clear();
        _steps = new StepLosses(_settings.Workers);
        _stopBroadcast = false;
        _epochClock = Stopwatch.StartNew();

        EpochStarted started;
        try
        {
            started = _engine.BeginEpoch(epoch);
        }
        catch (CallbackException e)
        {
            Fail(e.Message);
            return;
        }
        _epochDecisions.AddRange(started.Decisions);
        foreach (var d in started.Decisions) Observe(d);

        Become(() => TrainingEpoch(epoch));
        foreach (var w in _workers) w!.Tell(new WorkerCommands.StartEpoch(epoch, started.LearningRate));
        Timers.StartSingleTimer("epoch-timeout", new EpochTimedOut(epoch), _settings.EpochTimeout);
        _observer.Tell(new RunProgress.EpochBegan(epoch, _settings.Epochs, _settings.StepsPerEpoch, started.LearningRate));
    }

    private void TrainingEpoch(int epoch)
    {
        Command<WorkerReports.BatchTrained>(b => b.Epoch == epoch, b =>
        {
            foreach (var (step, running) in _steps.Add(b))
            {
                _observer.Tell(new RunProgress.BatchProgress(epoch, step, running));
                var ended = _engine.EndBatch(step, new MetricLogs { ["loss"] = running });
                _epochDecisions.AddRange(ended.Decisions);
                foreach (var d in ended.Decisions) Observe(d);
                if (ended.StopTraining && !_stopBroadcast)
                {
                    _stopBroadcast = true;
                    foreach (var w in _workers) w!.Tell(new WorkerCommands.StopEpoch(epoch));
                }
            }
        });
        Command<WorkerReports.EpochTrained>(r => r.Epoch == epoch, report =>
        {
            _reports[report.Worker] = report;
            if (_reports.Count < _settings.Workers) return;
            Timers.Cancel("epoch-timeout");
            EndEpoch(epoch);
        });
        Command<EpochTimedOut>(t => t.Epoch == epoch, _ =>
        {
            var silent = Enumerable.Range(0, _settings.Workers).Where(i => !_reports.ContainsKey(i));
            Fail($"worker(s) {string.Join(", ", silent)} did not report epoch {epoch} within {_settings.EpochTimeout.TotalSeconds:0}s (epoch-timeout)");
        });
        CommonFailures();
    }

    // ---- Phase: ending an epoch. Files first (checkpoints, best weights, resume states: each
    // atomic), then every event of the epoch in one batch, then deletions. A crash before the batch
    // trains the epoch again with the same result; a crash after it resumes from this epoch.
    private void EndEpoch(int epoch)
    {
        var reports = _reports.Values.ToList();
        if (reports.Select(r => r.ParameterHash).Distinct().Count() > 1)
            _observer.Tell(new RunProgress.Warning($"epoch {epoch + 1}: the replicas differ after synchronisation ({string.Join(", ", reports.Select(r => r.ParameterHash))})"));

        var ended = _engine.Aborted
            ? new EpochEnded(epoch, _engine.LearningRate, _engine.LearningRate, true, _engine.StopReason, new MetricLogs(), [])
            : _engine.EndEpoch(EpochAggregation.Logs(reports));
        _epochDecisions.AddRange(ended.Decisions);
        foreach (var d in ended.Decisions) Observe(d);

        var seconds = _epochClock.Elapsed.TotalSeconds;
        var logs = ended.Logs.ToDictionary(kv => kv.Key, kv => kv.Value);
        var events = new List<IRunEvent>
        {
            new EpochCompleted(epoch, ended.LearningRate, logs, seconds,
                reports.Max(r => r.Steps), reports.Max(r => r.BytesSent), CallbackJsonContext.Serialize(_engine.SaveState())),
        };
        foreach (var c in _epochDecisions.OfType<Callbacks.LearningRateChanged>())
            events.Add(new Events.RunEvents.LearningRateChanged(c.Epoch, c.From, c.To,
                c.Reason == LearningRateChangeReason.Plateau ? "plateau" : "schedule", c.Source));
        if (ended.StopTraining && _engine.StopReason is { } reason)
        {
            var stop = _epochDecisions.OfType<StopRequested>().First();
            events.Add(new TrainingStopped(epoch, stop.Batch, reason.Kind.ToString(), reason.Source, reason.Message));
        }

        var deletions = new List<string>();
        // EarlyStopping may mark the same epoch twice (Keras sets best_weights, then improves on them): write it once.
        var work = new Queue<CallbackDecision>(_epochDecisions
            .Where(d => d is CheckpointRequested or CheckpointDeletionRequested || d is BestWeightsMarked && ReferenceEquals(d, _epochDecisions.OfType<BestWeightsMarked>().Last())));
        var notes = DecisionNotes.For(_epochDecisions);
        WriteFiles(work, events, deletions, () => WriteResumeStates(epoch, events, () =>
        {
            var old = _state.ResumeStates.Where(r => r.Epoch <= epoch - _settings.KeepResumeStates).ToList();
            events.AddRange(old.Select(r => new ResumeStateDeleted(r.Epoch)));
            PersistThen(events, () =>
            {
                foreach (var path in deletions.Concat(old.SelectMany(r => r.Files.Select(f => f.Path)))) TryDelete(path);
                _observer.Tell(new RunProgress.EpochSummarized(epoch, logs, seconds, notes));
                ContinueAfter(epoch);
            });
        }));
    }

    private void WriteFiles(Queue<CallbackDecision> work, List<IRunEvent> events, List<string> deletions, Action then)
    {
        if (!work.TryDequeue(out var decision))
        {
            then();
            return;
        }
        switch (decision)
        {
            case CheckpointRequested save:
                WriteWithWorker0(InCheckpointFolder(save.Path), written =>
                {
                    events.Add(new CheckpointSaved(save.Epoch, save.Batch, written.Path, written.Sha256, written.Bytes, save.Monitor,
                        save.MonitorValue, save.Kind == CheckpointKind.Last ? "last" : "regular"));
                    WriteFiles(work, events, deletions, then);
                });
                break;
            case BestWeightsMarked marked:
                // A name per epoch: the file the journal points to is never overwritten before the
                // new one is recorded; the previous one goes once the batch is stored.
                WriteWithWorker0(_settings.BestWeightsPath(marked.Epoch), written =>
                {
                    events.Add(new BestWeightsSaved(marked.Epoch, new StoredFile(written.Path, written.Sha256, written.Bytes)));
                    if (_state.BestWeights is { } previous && previous.File.Path != written.Path) deletions.Add(previous.File.Path);
                    WriteFiles(work, events, deletions, then);
                });
                break;
            case CheckpointDeletionRequested delete:
                var target = InCheckpointFolder(delete.Path);
                events.Add(new CheckpointDeleted(delete.Epoch, target, delete.Why));
                deletions.Add(target);
                WriteFiles(work, events, deletions, then);
                break;
            default:
                WriteFiles(work, events, deletions, then);
                break;
        }
    }

    private void WriteResumeStates(int epoch, List<IRunEvent> events, Action then) =>
        AskEveryWorker((id, w) => new WorkerCommands.WriteTrainingState(id, _settings.ResumeStatePath(epoch, w)),
            (WorkerReports.TrainingStateWritten r) => (r.RequestId, r.Worker), written =>
            {
                events.Add(new ResumeStateSaved(epoch,
                    written.OrderBy(w => w.Worker).Select(w => new StoredFile(w.Path, w.Sha256, w.Bytes)).ToList()));
                then();
            });

    private string InCheckpointFolder(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(_settings.CheckpointFolder, path);

    private void WriteWithWorker0(string path, Action<WorkerReports.CheckpointWritten> then)
    {
        var id = ++_nextRequest;
        Become(() =>
        {
            Command<WorkerReports.CheckpointWritten>(w => w.RequestId == id, then);
            CommonFailures();
        });
        _workers[0]!.Tell(new WorkerCommands.WriteCheckpoint(id, path));
    }

    /// <summary>Sends every worker a request and continues once each has answered it.</summary>
    private void AskEveryWorker<TReply>(Func<long, int, object> request, Func<TReply, (long RequestId, int Worker)> key,
        Action<IReadOnlyList<TReply>> then)
    {
        var id = ++_nextRequest;
        var replies = new Dictionary<int, TReply>();
        Become(() =>
        {
            Command<TReply>(r => key(r).RequestId == id, r =>
            {
                replies[key(r).Worker] = r;
                if (replies.Count == _settings.Workers) then(replies.Values.ToList());
            });
            CommonFailures();
        });
        for (var w = 0; w < _settings.Workers; w++) _workers[w]!.Tell(request(id, w));
    }

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
        var path = best.File.Path;
        if (FileCheck.Problem(best.File) is { } problem)
        {
            events.Add(new CheckpointCorrupted(path, best.File.Sha256, problem));
            _observer.Tell(new RunProgress.Warning($"the best weights {path} are {problem}; falling back to the newest valid checkpoint"));
            var fallback = _state.Checkpoints.LastOrDefault(c => !c.Deleted && c.Saved.Kind == "regular" &&
                                                                 FileCheck.Problem(c.Saved.Path, c.Saved.Sha256, c.Saved.Bytes) is null);
            if (fallback is null)
            {
                PersistThen(events, () => Fail($"the best weights ({path}) are {problem}, and no valid checkpoint is left to restore"));
                return;
            }
            path = fallback.Saved.Path;
        }
        if (_state.Restored is null) events.Add(new Events.RunEvents.BestWeightsRestored(epoch, source));
        PersistThen(events, () => AskEveryWorker((id, _) => new WorkerCommands.LoadWeights(id, path),
            (WorkerReports.WeightsLoaded l) => (l.RequestId, l.Worker), loaded =>
            {
                if (loaded.Select(l => l.ParameterHash).Distinct().Count() > 1)
                    _observer.Tell(new RunProgress.Warning("replicas differ after loading the best weights"));
                EvaluateFinal();
            }));
    }

    private void EvaluateFinal() =>
        AskEveryWorker((id, _) => new WorkerCommands.Evaluate(id), (WorkerReports.Evaluated r) => (r.RequestId, r.Worker), results =>
        {
            var final = EpochAggregation.Final(results);
            WriteWithWorker0(_settings.FinalModelPath, written =>
                PersistThen([new RunCompleted(_state.Stop is null ? "completed" : "stopped", final, written.Path, written.Sha256,
                    written.Bytes, _wall.Elapsed.TotalSeconds)], Done));
        });

    private void Done()
    {
        Become(() => Command<object>(_ => { }));
        ReportFinished();
    }

    // The summary needs the whole history, which the bounded state does not hold: read it back.
    private void ReportFinished(string? error = null) =>
        Context.ActorOf(RunHistoryReader.Props(_settings, _observer, error, Finished(error)), $"history-{++_nextRequest}");

    // ---- Failures, in every phase.
    private void CommonFailures()
    {
        Command<WorkerReports.WorkerFailed>(f => Fail($"worker {f.Worker} failed: {f.Reason}"));
        Command<Terminated>(t => Fail($"{t.ActorRef.Path.Name} stopped unexpectedly"));
        Command<WorkerReports.BatchTrained>(_ => { }); // late batch reports of a finished epoch
        Command<WorkerReports.WorkerReady>(r => _log.Warning("worker {0} reported ready again", r.Worker));
        // Only the newest snapshot is ever loaded: drop the ones before it.
        Command<SaveSnapshotSuccess>(ok => DeleteSnapshots(new SnapshotSelectionCriteria(ok.Metadata.SequenceNr - 1)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("old snapshots could not be deleted: {0}", f.Cause.Message));
        Command<SaveSnapshotFailure>(f => _observer.Tell(new RunProgress.Warning($"a snapshot could not be saved: {f.Cause.Message}")));
    }

    private void Fail(string reason)
    {
        _log.Error("run {0} failed: {1}", _settings.RunId, reason);
        Timers.CancelAll();
        PersistThen([new RunFailed(reason, _wall.Elapsed.TotalSeconds)], Done);
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
        if (decision is CallbackWarning w) _observer.Tell(new RunProgress.Warning($"{w.Source}: {w.Message}"));
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _observer.Tell(new RunProgress.Warning($"could not delete {path}: {e.Message}"));
        }
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
        Context.System.ActorOf(RunHistoryReader.Props(_settings, _observer, message, Finished(message)));
#pragma warning restore AK1008
    }

    /// <summary>What the bounded state alone can say (if the journal cannot be read back).</summary>
    private RunProgress.RunFinished Finished(string? error = null) =>
        new(RunSummaries.From(_state, _settings, error), _state.Epochs.Select(e => new RunProgress.EpochLog(e.Epoch, e.Logs)).ToList());

    private sealed record EpochTimedOut(int Epoch) : INoSerializationVerificationNeeded;

    private sealed record WorkersTimedOut : INoSerializationVerificationNeeded;
}
