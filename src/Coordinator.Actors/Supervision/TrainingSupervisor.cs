using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Progress;
using Coordinator.Actors.State;
using Coordinator.Actors.Transfer;
using Coordinator.Actors.Supervision.Children;
using Coordinator.Actors.Supervision.Decider;
using Coordinator.Actors.Supervision.Status;
using Coordinator.Actors.Supervision.Store;
using Coordinator.Callbacks;
using Coordinator.Core.Storage;
using static Coordinator.Actors.Events.RunEvents;
using static Coordinator.Actors.Supervision.SupervisorSteps;

namespace Coordinator.Actors.Supervision;

/// <summary>
/// The supervisor: owns the callbacks, the run's membership and its journal. Workers register; once
/// min-workers have, each epoch is run by an <see cref="EpochBarrier"/> child (start, batch logs, every
/// report or the timeout); the reports become one set of logs, the callbacks decide, the files they asked
/// for and the members' resume states are stored, and the epoch's events are persisted in one batch. What
/// to persist and do is decided by the pure <see cref="SupervisorDecider"/> and <see cref="EpochEndDecider"/>;
/// requests to members run as <see cref="MemberRound"/> children; file work runs off this actor's thread
/// (<see cref="AsyncCheckpointStore"/>) and comes back as messages. The phase is explicit
/// (<see cref="SupervisorPhase"/>, answered to <see cref="GetRunStatus"/>).
/// A member lost mid-epoch makes it restart that epoch with the others (within max-restarts); a worker
/// that registers mid-run joins at the next epoch. A new supervisor with the same persistence id (a
/// restarted process, or a standby node's singleton) continues from the newest resume state that verifies.
/// </summary>
public sealed partial class TrainingSupervisor : ReceivePersistentActor, IWithTimers
{
    private readonly SupervisorSettings _settings;
    private readonly RunProgressPublisher _progress;
    private readonly AsyncCheckpointStore _files;
    private readonly RunPaths _paths;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Membership _members = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly PayloadTransfer _payloads = PayloadTransfer.Get(Context.System); // weights and states to other nodes: chunked
    private CallbackEngine _engine;
    private RunState _state;
    private SupervisorPhase _phase = SupervisorPhase.WaitingForWorkers;
    private long _nextRequest;
    private long _lastSnapshotAt;
    private int _parameterCount;
    private EpochInFlight? _epoch;     // the epoch being trained or ended (not persisted: an interrupted epoch is trained again)
    private (IActorRef Actor, IReadOnlyList<IActorRef> Targets)? _round; // the round of member requests in flight

    public TrainingSupervisor(SupervisorSettings settings, RunProgressPublisher progress, ICheckpointStore store)
    {
        (_settings, _progress, _files) = (settings, progress, new AsyncCheckpointStore(store));
        _paths = settings.Paths;
        _engine = NewEngine();
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
            if (SupervisorDecider.IsOver(_state, _settings)) Self.Tell(new RunAlreadyOver());
        });
        WaitingForWorkers();
    }

    public override string PersistenceId => _settings.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="store">Where checkpoints, best weights and resume states go; the file system by default.</param>
    /// <param name="progress">Where the run's progress is published (<see cref="RunProgressPublisher.For"/>).</param>
    public static Props Props(SupervisorSettings settings, RunProgressPublisher progress, ICheckpointStore? store = null) =>
        Akka.Actor.Props.Create(() => new TrainingSupervisor(settings, progress, store ?? FileCheckpointStore.Instance));

    /// <summary>Commands carry the journal position: a newer supervisor's commands are never older than an earlier one's.</summary>
    private long Version => LastSequenceNr;

    private CallbackEngine NewEngine() => new(_settings.Callbacks, _settings.RunInfo);

    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartSingleTimer("workers-timeout", new WorkersTimedOut(), _settings.EpochTimeout);
    }

    /// <summary>Every progress report goes out here: subscribers, not the supervisor, put it in words.</summary>
    private void Report(RunProgress.Update progress) => _progress.Publish(progress);

    // ---- Phase: waiting for the workers to register (each has built its replica): all the run is
    // configured with, or, when the wait (the epoch timeout) is over, at least min-workers.
    private void WaitingForWorkers()
    {
        Command<WorkerReports.RegisterWorker>(register =>
        {
            if (Accept(register, asMember: true) && _members.Count >= SupervisorDecider.WorkersToWaitFor(_state, _settings))
                BeginTraining(register.ParameterCount);
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
        Common();
    }

    /// <summary>Every phase between the first epoch and the end: the phase's own handlers, then those of all.</summary>
    private void Enter(SupervisorPhase phase)
    {
        _phase = phase;
        Become(() =>
        {
            if (phase == SupervisorPhase.TrainingEpoch) TrainingEpoch();
            Command<WorkerReports.RegisterWorker>(r => Accept(r, asMember: false)); // joiners wait for the next epoch
            Steps();
            Common();
        });
    }

    // ---- In every phase.
    private void Common()
    {
        Command<GetRunStatus>(_ => Sender.Tell(Status()));
        Command<StoreWarnings>(ReportWarnings);
        Command<StoreFailed>(f => Fail(f.Reason));
        Command<WorkerReports.WorkerFailed>(_ => _members.Knows(Sender), f => LostBetweenEpochs(Sender, $"failed: {f.Reason}"));
        Command<WorkerReports.WorkerFailed>(f => _log.Warning("worker {0} failed: {1}", f.Name, f.Reason));
        Command<Terminated>(t => _members.Knows(t.ActorRef), t => LostBetweenEpochs(t.ActorRef, "stopped (its process or node is gone)"));
        Command<Terminated>(_ => { });
        // Weights or a state that did not reach a worker (on another node; the round passes it on): as if it had failed.
        Command<TransferMessages.TransferFailed>(f => _members.Knows(f.Target),
            f => Self.Tell(new WorkerReports.WorkerFailed(_members.NameOf(f.Target), $"its {f.MessageType} could not be sent: {f.Reason}"), f.Target));
        // Some workers confirm an abort to the supervisor they registered with: the round collects it.
        Command<WorkerReports.EpochAborted>(a => _round?.Actor.Forward(a));
        Command<WorkerReports.BatchTrained>(_ => { }); // late batch reports of a finished or abandoned attempt
        Command<WorkerReports.EpochTrained>(_ => { });
        // Only the newest snapshot is ever loaded: drop the ones before it.
        Command<SaveSnapshotSuccess>(ok => DeleteSnapshots(new SnapshotSelectionCriteria(ok.Metadata.SequenceNr - 1)));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("old snapshots could not be deleted: {0}", f.Cause.Message));
        Command<SaveSnapshotFailure>(f => Report(new RunProgress.Warning($"a snapshot could not be saved: {f.Cause.Message}")));
    }

    private void ReportWarnings(StoreWarnings warnings)
    {
        foreach (var warning in warnings.Warnings) Report(new RunProgress.Warning(warning));
    }

    private CurrentRunStatus Status() =>
        new(_settings.RunId, _phase, _epoch?.Epoch ?? _state.NextEpoch, _settings.Epochs, _members.Names, _members.JoinerNames,
            _state.Epochs.Count == 0 ? -1 : _state.Epochs[^1].Epoch,
            _state.Epochs.Count == 0 ? new Dictionary<string, double>() : _state.Epochs[^1].Logs);

    /// <summary>Persists a decision's events (in one batch), then carries out its effects in order.</summary>
    private void Carry(Decision decision) => PersistThen(decision.Events, () =>
    {
        foreach (var effect in decision.Effects) Apply(effect);
    });

    private void Apply(SupervisorEffect effect)
    {
        switch (effect)
        {
            case SupervisorEffect.Report r: Report(r.Progress); break;
            case SupervisorEffect.FailRun f: Fail(f.Reason); break;
            case SupervisorEffect.ReportOutcome o: Done(o.Status); break;
            case SupervisorEffect.BeginFirstEpoch: TrainBegin(); BeginEpoch(0); break;
            case SupervisorEffect.ResumeRun: CheckResumeStates(); break;
            case SupervisorEffect.RestartEpoch r: AbortEpoch(r.Epoch); break;
            case SupervisorEffect.GoOnFrom g: GoOnFrom(g.Epoch); break;
        }
    }

    /// <summary>Starts a round of requests to <paramref name="targets"/>; its result comes back as <see cref="MemberRound.Completed"/>.
    /// An answer is recognised by its request id unless <paramref name="isAnswer"/> says otherwise.</summary>
    private void AskMembers(object purpose, IReadOnlyList<IActorRef> targets, Func<long, int, int, object> request,
        Func<object, bool>? isAnswer = null, bool giveUpOnLoss = false)
    {
        var id = ++_nextRequest;
        var actor = Context.ActorOf(MemberRound.Props(new MemberRound.Spec(purpose, targets, isAnswer ?? (answer => MemberRound.Answers(answer, id)), giveUpOnLoss)),
            $"round-{id}");
        _round = (actor, targets);
        for (var rank = 0; rank < targets.Count; rank++) _payloads.Tell(targets[rank], request(id, rank, targets.Count), actor);
    }

    /// <summary>Asks the first member (rank 0) for what only one needs to give; if it is lost first, the next is asked.</summary>
    private void AskFirst(object purpose, Func<long, object> request)
    {
        if (_members.Count == 0) Fail("no worker is left to ask");
        else AskMembers(purpose, [_members.Ring[0]], (id, _, _) => request(id));
    }

    /// <summary>Runs file work off this actor's thread; its result comes back as <paramref name="then"/>'s message.</summary>
    private void InStore<T>(Func<ICheckpointStore, T> work, Func<T, object> then) =>
        _files.Run(work).PipeTo(Self, success: then, failure: e => new StoreFailed((e is AggregateException { InnerException: { } inner } ? inner : e).Message));

    /// <summary>
    /// Persists the events, applies each, snapshots when due, and continues once the last is stored.
    /// (A counter, not DeferAsync: a Persist issued from inside a DeferAsync handler left later replies undelivered.)
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

    private void Observe(IEnumerable<CallbackDecision> decisions)
    {
        foreach (var d in decisions)
            if (d is CallbackWarning w) Report(new RunProgress.Warning(w.Message, w.Source));
    }
}
