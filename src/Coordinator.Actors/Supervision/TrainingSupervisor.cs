using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.State;
using Coordinator.Callbacks;
using Coordinator.Callbacks.State;
using Coordinator.Core.Storage;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

/// <summary>
/// The supervisor: owns the epoch barrier, the callbacks and the run's membership. Workers
/// register; once min-workers have, it starts each epoch at the rate the callbacks chose, with
/// every member's rank in the ring, waits for every report (failing the run, naming the silent
/// workers, after the epoch timeout), turns the reports into one set of logs, runs the callbacks,
/// stores the files they asked for and the members' resume states, then persists the epoch's
/// decisions in one batch and broadcasts them: the next rate, or stop. A member lost mid-epoch
/// makes it restart that epoch from the last epoch-end state with the others (within
/// max-restarts); a worker that registers mid-run joins at the next epoch. A new supervisor with
/// the same persistence id (a restarted process, or a standby node's singleton) continues from
/// the newest resume state whose files verify.
/// Phases: waiting for workers, resuming, training an epoch, restarting it, ending it, finishing, done.
/// </summary>
public sealed partial class TrainingSupervisor : ReceivePersistentActor, IWithTimers
{
    private readonly SupervisorSettings _settings;
    private readonly RunProgressPublisher _progress;
    private readonly ICheckpointStore _store;
    private readonly RunPaths _paths;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Membership _members = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private CallbackEngine _engine;
    private RunState _state;
    private long _nextRequest;
    private long _lastSnapshotAt;
    private bool _journalFaulted;

    // Per-epoch working state (not persisted: an interrupted epoch is trained again).
    private readonly Dictionary<IActorRef, WorkerReports.EpochTrained> _reports = [];
    private readonly List<CallbackDecision> _epochDecisions = [];
    private StepLosses _steps;
    private Stopwatch _epochClock = new();
    private bool _stopBroadcast;
    private long _attempt;

    public TrainingSupervisor(SupervisorSettings settings, RunProgressPublisher progress, ICheckpointStore store)
    {
        (_settings, _progress, _store) = (settings, progress, store);
        _paths = settings.Paths;
        _engine = NewEngine();
        _steps = new StepLosses(settings.Workers);
        _state = RunState.Bounded(settings.KeepResumeStates + 1);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is RunState snapshot) (_state, _lastSnapshotAt) = (snapshot, offer.Metadata.SequenceNr);
        });
        Recover<IRunEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            if (LastSequenceNr > 0) Report(new RunProgress.Recovered(_lastSnapshotAt, LastSequenceNr, _state.Epochs.Count));
            // A run that is over needs no workers: report how it ended (a standby taking over after the end),
            // unless this process was started to extend it (train --resume RUN --epochs N).
            if (_state.Completed is not null && !ExtendsEpochLimit) Self.Tell(new RunAlreadyOver());
        });
        WaitingForWorkers();
    }

    public override string PersistenceId => _settings.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="progress">Where the run's progress is published (<see cref="RunProgressPublisher.For"/>).</param>
    /// <param name="store">Where checkpoints, best weights and resume states go; the file system by default.</param>
    public static Props Props(SupervisorSettings settings, RunProgressPublisher progress, ICheckpointStore? store = null) =>
        Akka.Actor.Props.Create(() => new TrainingSupervisor(settings, progress, store ?? FileCheckpointStore.Instance));

    /// <summary>Every progress report goes out here: subscribers, not the supervisor, put it in words.</summary>
    private void Report(RunProgress.Update progress) => _progress.Publish(progress);

    /// <summary>Commands carry the journal position: a newer supervisor's commands are never older than an earlier one's.</summary>
    private long Version => LastSequenceNr;

    private CallbackEngine NewEngine() => new(_settings.Callbacks, new RunInfo(_settings.InitialLearningRate, _settings.Workers));

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartSingleTimer("workers-timeout", new WorkersTimedOut(), _settings.EpochTimeout);
    }

    // ---- Phase: waiting for the workers to register (each has built its replica): all the run is
    // configured with, or, when the wait (the epoch timeout) is over, at least min-workers.
    private void WaitingForWorkers()
    {
        Command<WorkerReports.RegisterWorker>(register =>
        {
            if (Accept(register, asMember: true) && _members.Count >= WorkersToWaitFor) BeginTraining(register.ParameterCount);
        });
        Command<RunAlreadyOver>(_ => Done(_state.Completed!.Status)); // nothing to do: persist nothing
        Command<Terminated>(t => _members.Remove(t.ActorRef));
        Command<WorkerReports.WorkerFailed>(f => Fail($"worker {f.Name} failed: {f.Reason}"));
        Command<WorkersTimedOut>(_ =>
        {
            if (_members.Count >= _settings.MinWorkers && _members.Count > 0)
            {
                Report(new RunProgress.Note($"{_members.Count} of {_settings.Workers} workers registered; starting with them (min-workers = {_settings.MinWorkers})"));
                BeginTraining(_parameterCount);
            }
            else
                Fail($"{_members.Count} of the {_settings.MinWorkers} workers the run needs (min-workers) registered within {_settings.EpochTimeout.TotalSeconds:0}s");
        });
        CommonFailures();
    }

    private int _parameterCount;

    // A new run waits for the workers it is configured with; a resumed one for the members it had last
    // (a worker lost since is not waited for beyond the wait's end, when min-workers will do).
    private int WorkersToWaitFor =>
        _state.Started is null ? _settings.Workers : Math.Max(_settings.MinWorkers, Math.Min(_state.Members, _settings.MaxWorkers));

    private void BeginTraining(int parameterCount)
    {
        Timers.Cancel("workers-timeout");
        if (_state.Completed is not null && !ExtendsEpochLimit)
        {
            // Registrations that came in during recovery are handled before RunAlreadyOver: the run is over all the same.
            Done(_state.Completed.Status);
            return;
        }
        _members.SortByName();
        Report(new RunProgress.RunBegan(_settings.Epochs, _settings.StepsPerEpoch, _members.Names, _state.Started is not null));
        if (_state.Started is null)
            PersistThen([new RunStarted(_settings.RunId, _members.Count, _settings.Sync, _settings.Seed, _settings.Epochs,
                _settings.InitialLearningRate, parameterCount, _settings.ConfigSha256, DateTimeOffset.UtcNow)
            {
                DataSha256 = _settings.DataSha256, Settings = _settings.ConfigSettings,
            }], () =>
            {
                foreach (var d in _engine.TrainBegin()) Observe(d);
                BeginEpoch(0);
            });
        else if (_settings.ChangesEpochLimit && _state.EpochLimit != _settings.Epochs)
            PersistThen([new EpochLimitChanged(_state.EpochLimit ?? _settings.Epochs, _settings.Epochs, DateTimeOffset.UtcNow)], Resume);
        else
            Resume();
    }

    // A finished run goes on only when it ended at its epoch limit and this process raises the limit.
    private bool ExtendsEpochLimit => _settings.ChangesEpochLimit && _state.Stop is null && _state.EpochLimit is { } limit && _settings.Epochs > limit;

    // ---- Phase: resuming a run that a previous process (or supervisor node) left unfinished.
    private void Resume()
    {
        var events = new List<IRunEvent>();
        ResumeStateSaved? usable = null;
        foreach (var candidate in _state.ResumeStates.Reverse())
        {
            // Members in step share one file: check each file once.
            var bad = candidate.Files.DistinctBy(f => f.Path).Select(f => (File: f, Problem: Problem(f))).Where(x => x.Problem is not null).ToList();
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
                Report(new RunProgress.Warning($"{_paths.Display(c.Path)} is {c.Problem}; it was not loaded"));
            RemoveFilesTheJournalDoesNotKeep();
            if (usable is not null)
            {
                WarnAboutMissingLogRows(target);
                _engine.RestoreState(CallbackJsonContext.Deserialize(_state.Epochs.Single(e => e.Epoch == target).CallbackState));
                Report(new RunProgress.Note($"resuming after epoch {target + 1} (of {_settings.Epochs})"));
            }
            else
                foreach (var d in _engine.TrainBegin()) Observe(d);
            // Workers that outlived a supervisor may be mid-epoch: every member loads the state to go on from.
            LoadStateAfter(target, _members.Ring, () => ContinueAfter(target));
        });
    }

    private void ContinueAfter(int epoch)
    {
        if (_engine.StopTraining || epoch + 1 >= _settings.Epochs) Finish();
        else BeginEpoch(epoch + 1);
    }

    // ---- Phase: one epoch in flight. Joiners are brought to the members' state first.
    private void BeginEpoch(int epoch)
    {
        if (_members.HasJoiners)
        {
            AdmitJoiners(epoch, () => BeginEpoch(epoch));
            return;
        }
        if (_members.Count < _settings.MinWorkers)
        {
            Fail($"{_members.Count} worker(s) remain, fewer than min-workers = {_settings.MinWorkers}");
            return;
        }
        _reports.Clear();
        _epochDecisions.Clear();
        _steps = new StepLosses(_members.Count);
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

        _attempt = Version;
        Become(() => TrainingEpoch(epoch));
        var ring = _members.Ring;
        for (var rank = 0; rank < ring.Count; rank++)
            ring[rank].Tell(new WorkerCommands.StartEpoch(_attempt, epoch, started.LearningRate, rank, ring));
        Timers.StartSingleTimer("epoch-timeout", new EpochTimedOut(epoch), _settings.EpochTimeout);
        Report(new RunProgress.EpochBegan(epoch, _settings.Epochs, _settings.StepsPerEpoch, started.LearningRate));
    }

    private void TrainingEpoch(int epoch)
    {
        Command<WorkerReports.BatchTrained>(b => b.Epoch == epoch && b.Version == _attempt, b =>
        {
            foreach (var (step, running) in _steps.Add(b))
            {
                Report(new RunProgress.StepsReported(epoch, step, [running]));
                if (_stopBroadcast) continue; // Keras runs no batch callbacks after the batch that stopped training
                var ended = _engine.EndBatch(step, new MetricLogs { ["loss"] = running });
                _epochDecisions.AddRange(ended.Decisions);
                foreach (var d in ended.Decisions) Observe(d);
                if (ended.StopTraining && !_stopBroadcast)
                {
                    _stopBroadcast = true;
                    foreach (var w in _members.Ring) w.Tell(new WorkerCommands.StopEpoch(_attempt, epoch));
                }
            }
        });
        Command<WorkerReports.EpochTrained>(r => r.Epoch == epoch && r.Version == _attempt && _members.IsMember(Sender), report =>
        {
            _reports[Sender] = report;
            if (_reports.Count < _members.Count) return;
            Timers.Cancel("epoch-timeout");
            EndEpoch(epoch);
        });
        Command<EpochTimedOut>(t => t.Epoch == epoch, _ =>
        {
            var silent = _members.Ring.Where(w => !_reports.ContainsKey(w)).Select(_members.NameOf);
            Fail($"worker(s) {string.Join(", ", silent)} did not report epoch {epoch + 1} within {_settings.EpochTimeout.TotalSeconds:0}s (epoch-timeout)");
        });
        Command<Terminated>(t => _members.IsMember(t.ActorRef), t => LostMidEpoch(epoch, t.ActorRef, "stopped (its process or node is gone)"));
        Command<WorkerReports.WorkerFailed>(_ => _members.IsMember(Sender), f => LostMidEpoch(epoch, Sender, $"failed: {f.Reason}"));
        Registration();
        CommonFailures();
    }

    private string? Problem(StoredFile file) => _store.Problem(_paths.Resolve(file.Path), file.Sha256, file.Bytes);

    private sealed record EpochTimedOut(int Epoch) : INoSerializationVerificationNeeded;

    private sealed record WorkersTimedOut : INoSerializationVerificationNeeded;

    private sealed record RunAlreadyOver : INoSerializationVerificationNeeded;
}
