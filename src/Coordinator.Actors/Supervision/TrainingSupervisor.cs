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
/// after the epoch timeout), turns the reports into one set of logs, runs the callbacks, persists
/// what they decided and broadcasts it: the next rate, or stop. Phases: waiting for workers,
/// training an epoch, carrying out an epoch's decisions, finishing, done.
/// </summary>
public sealed class TrainingSupervisor : ReceivePersistentActor, IWithTimers
{
    private readonly SupervisorSettings _settings;
    private readonly IActorRef _observer;
    private readonly CallbackEngine _engine;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef?[] _workers;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private RunState _state = RunState.Empty;
    private long _nextRequest;

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

        Recover<IRunEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            if (_state.Epochs.Count > 0)
                _engine.RestoreState(CallbackJsonContext.Deserialize(_state.Epochs[^1].CallbackState));
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
            if (_state.Finished)
            {
                Fail("this run has already finished; start a new run");
                return;
            }
            if (_state.Started is null)
                Persist(new RunStarted(_settings.RunId, _settings.Workers, _settings.Sync, _settings.Seed, _settings.Epochs,
                    _settings.InitialLearningRate, ready.ParameterCount, _settings.ConfigSha256, DateTimeOffset.UtcNow), e =>
                {
                    _state = _state.Apply(e);
                    foreach (var d in _engine.TrainBegin()) Observe(d);
                    BeginEpoch(_state.NextEpoch);
                });
            else
                BeginEpoch(_state.NextEpoch);
        });
        Command<WorkersTimedOut>(_ =>
        {
            var missing = Enumerable.Range(0, _settings.Workers).Where(i => _workers[i] is null);
            Fail($"worker(s) {string.Join(", ", missing)} did not get ready within {_settings.EpochTimeout.TotalSeconds:0}s");
        });
        CommonFailures();
    }

    // ---- Phase: one epoch in flight.
    private void BeginEpoch(int epoch)
    {
        if (epoch >= _settings.Epochs)
        {
            Finish();
            return;
        }
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
                var logs = new MetricLogs { ["loss"] = running };
                var ended = _engine.EndBatch(step, logs);
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

    private void EndEpoch(int epoch)
    {
        var reports = _reports.Values.ToList();
        if (reports.Select(r => r.ParameterHash).Distinct().Count() > 1)
            _observer.Tell(new RunProgress.Warning($"epoch {epoch}: the replicas differ after synchronisation ({string.Join(", ", reports.Select(r => r.ParameterHash))})"));

        EpochEnded ended;
        if (_engine.Aborted)
            ended = new EpochEnded(epoch, _engine.LearningRate, _engine.LearningRate, true, _engine.StopReason, new MetricLogs(), []);
        else
            ended = _engine.EndEpoch(EpochAggregation.Logs(reports));
        _epochDecisions.AddRange(ended.Decisions);
        foreach (var d in ended.Decisions) Observe(d);

        var seconds = _epochClock.Elapsed.TotalSeconds;
        var events = new List<IRunEvent>
        {
            new EpochCompleted(epoch, ended.LearningRate, ended.Logs.ToDictionary(kv => kv.Key, kv => kv.Value), seconds,
                reports.Max(r => r.Steps), reports.Max(r => r.BytesSent), CallbackJsonContext.Serialize(_engine.SaveState())),
        };
        foreach (var c in _epochDecisions.OfType<Callbacks.LearningRateChanged>())
            events.Add(new Events.RunEvents.LearningRateChanged(c.Epoch, c.From, c.To, c.Reason == LearningRateChangeReason.Plateau ? "plateau" : "schedule", c.Source));
        if (ended.StopTraining && _engine.StopReason is { } reason)
        {
            var stop = _epochDecisions.OfType<StopRequested>().First();
            events.Add(new TrainingStopped(epoch, stop.Batch, reason.Kind.ToString(), reason.Source, reason.Message));
        }

        var work = new Queue<CallbackDecision>(_epochDecisions.Where(d => d is CheckpointRequested or CheckpointDeletionRequested or BestWeightsMarked));
        var notes = DecisionNotes.For(_epochDecisions);
        var logs = ended.Logs.ToDictionary(kv => kv.Key, kv => kv.Value);
        PersistThen(events, () =>
        {
            _observer.Tell(new RunProgress.EpochSummarized(epoch, logs, seconds, notes));
            CarryOut(work, () =>
            {
                if (ended.StopTraining || epoch + 1 >= _settings.Epochs) Finish();
                else BeginEpoch(epoch + 1);
            });
        });
    }

    // ---- Phase: carrying out checkpoint decisions one at a time, each waiting for its file.
    private void CarryOut(Queue<CallbackDecision> work, Action then)
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
                    Persist(new CheckpointSaved(save.Epoch, save.Batch, written.Path, written.Sha256, written.Bytes, save.Monitor,
                        save.MonitorValue, save.Kind == CheckpointKind.Last ? "last" : "regular"), e =>
                    {
                        _state = _state.Apply(e);
                        CarryOut(work, then);
                    }));
                break;
            case BestWeightsMarked:
                WriteWithWorker0(_settings.BestWeightsPath, _ => CarryOut(work, then));
                break;
            case CheckpointDeletionRequested delete:
                var target = InCheckpointFolder(delete.Path);
                try
                {
                    File.Delete(target);
                }
                catch (IOException e)
                {
                    _observer.Tell(new RunProgress.Warning($"could not delete {target}: {e.Message}"));
                }
                Persist(new CheckpointDeleted(delete.Epoch, target, delete.Why), e =>
                {
                    _state = _state.Apply(e);
                    CarryOut(work, then);
                });
                break;
            default:
                CarryOut(work, then);
                break;
        }
    }

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

    // ---- Phase: the end: restore best weights, evaluate the model kept, write it, report.
    private void Finish()
    {
        var ended = _engine.EndTrain();
        foreach (var d in ended.Decisions) Observe(d);
        if (ended.RestoredWeightsEpoch is { } epoch && File.Exists(_settings.BestWeightsPath))
        {
            var source = ended.Decisions.OfType<Callbacks.BestWeightsRestored>().First().Source;
            Persist(new Events.RunEvents.BestWeightsRestored(epoch, source), e =>
            {
                _state = _state.Apply(e);
                LoadEverywhere(_settings.BestWeightsPath, EvaluateFinal);
            });
        }
        else
            EvaluateFinal();
    }

    private void LoadEverywhere(string path, Action then)
    {
        var id = ++_nextRequest;
        var loaded = new Dictionary<int, string>();
        Become(() =>
        {
            Command<WorkerReports.WeightsLoaded>(l => l.RequestId == id, l =>
            {
                loaded[l.Worker] = l.ParameterHash;
                if (loaded.Count < _settings.Workers) return;
                if (loaded.Values.Distinct().Count() > 1) _observer.Tell(new RunProgress.Warning("replicas differ after loading the best weights"));
                then();
            });
            CommonFailures();
        });
        foreach (var w in _workers) w!.Tell(new WorkerCommands.LoadWeights(id, path));
    }

    private void EvaluateFinal()
    {
        var id = ++_nextRequest;
        var results = new Dictionary<int, WorkerReports.Evaluated>();
        Become(() =>
        {
            Command<WorkerReports.Evaluated>(r => r.RequestId == id, r =>
            {
                results[r.Worker] = r;
                if (results.Count < _settings.Workers) return;
                var final = EpochAggregation.Final(results.Values);
                WriteWithWorker0(_settings.FinalModelPath, written =>
                    Persist(new RunCompleted(_state.Stop is null ? "completed" : "stopped", final, written.Path, written.Sha256,
                        written.Bytes, _wall.Elapsed.TotalSeconds), e =>
                    {
                        _state = _state.Apply(e);
                        Done();
                    }));
            });
            CommonFailures();
        });
        foreach (var w in _workers) w!.Tell(new WorkerCommands.Evaluate(id));
    }

    private void Done()
    {
        Become(() => Command<object>(_ => { }));
        _observer.Tell(new RunProgress.RunFinished(RunSummaries.From(_state, _settings)));
    }

    // ---- Failures, in every phase.
    private void CommonFailures()
    {
        Command<WorkerReports.WorkerFailed>(f => Fail($"worker {f.Worker} failed: {f.Reason}"));
        Command<Terminated>(t => Fail($"{t.ActorRef.Path.Name} stopped unexpectedly"));
        Command<WorkerReports.BatchTrained>(_ => { }); // late batch reports of a finished epoch
        Command<WorkerReports.WorkerReady>(r => _log.Warning("worker {0} reported ready again", r.Worker));
    }

    private void Fail(string reason)
    {
        _log.Error("run {0} failed: {1}", _settings.RunId, reason);
        Timers.CancelAll();
        Persist(new RunFailed(reason, _wall.Elapsed.TotalSeconds), e =>
        {
            _state = _state.Apply(e);
            Become(() => Command<object>(_ => { }));
            _observer.Tell(new RunProgress.RunFinished(RunSummaries.From(_state, _settings)));
        });
    }

    /// <summary>
    /// Persists the events, applies each, and continues once the last is stored. (A counter, not
    /// DeferAsync: a Persist issued from inside a DeferAsync handler left later replies undelivered.)
    /// </summary>
    private void PersistThen(IReadOnlyList<IRunEvent> events, Action then)
    {
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            _state = _state.Apply(e);
            if (--remaining == 0) then();
        });
    }

    private void Observe(CallbackDecision decision)
    {
        if (decision is CallbackWarning w) _observer.Tell(new RunProgress.Warning($"{w.Source}: {w.Message}"));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        var message = $"the journal could not be written ({@event.GetType().Name}, sequence {sequenceNr}): {cause.Message}";
        _observer.Tell(new RunProgress.RunFinished(RunSummaries.From(_state, _settings, message)));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        var message = $"the journal rejected {@event.GetType().Name} (sequence {sequenceNr}): {cause.Message}";
        _observer.Tell(new RunProgress.RunFinished(RunSummaries.From(_state, _settings, message)));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private sealed record EpochTimedOut(int Epoch) : INoSerializationVerificationNeeded;

    private sealed record WorkersTimedOut : INoSerializationVerificationNeeded;
}
