using Akka.Actor;
using Coordinator.Actors.Protocol;
using Coordinator.Testing.Results;
using Coordinator.Testing.Scripts;
using static Coordinator.Testing.Simulation.SimulationMessages;

namespace Coordinator.Testing.Simulation;

/// <summary>
/// The worker side of the protocol without a model: registers with the supervisor (through the proxy,
/// and again when that supervisor dies, as TrainingWorker does), plays each epoch's scripted batch losses
/// and epoch logs as BatchTrained and EpochTrained, obeys StopEpoch and AbortEpoch, and answers for its
/// weights and states with bytes that name the epoch it holds. Between steps, workers wait for each other
/// (as the allreduce makes real ones) and for the supervisor to have handled the step (an Identify round
/// trip), so a stop decided at a batch is seen by every worker after that same batch.
/// </summary>
internal sealed class SimulatedWorker : ReceiveActor, IWithTimers
{
    private const int ParameterCount = 1000;

    private readonly WorkerScript _script;
    private readonly IActorRef _registry;
    private readonly IActorRef _runner;
    private readonly ActivityRecorder _recorder;
    private readonly HashSet<WorkerFault> _fired = [];
    private readonly HashSet<int> _held = [];
    private readonly Dictionary<(long Version, int Step), int> _peersDone = [];
    private SimulatedReplica _replica = SimulatedReplica.Initial;
    private IActorRef? _supervisor;
    private IActorRef? _joinCue;
    private long _version;

    // The attempt in flight.
    private WorkerCommands.StartEpoch? _attempt;
    private int _step;
    private bool _holding;
    private bool _stopReceived;
    private int? _lastStep;
    private int? _barrierStep;
    private string? _identifyId;
    private double _runningSum;
    private long _runningCount;
    private bool _nanThisEpoch;
    private WorkerReports.EpochTrained? _delayed;

    public SimulatedWorker(WorkerScript script, IActorRef registry, IActorRef runner, ActivityRecorder recorder)
    {
        (_script, _registry, _runner, _recorder) = (script, registry, runner, recorder);
        if (script.Joiner) Dormant();
        else Registering();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(WorkerScript script, IActorRef registry, IActorRef runner, ActivityRecorder recorder) =>
        Akka.Actor.Props.Create(() => new SimulatedWorker(script, registry, runner, recorder));

    private string Name => _script.Name;

    protected override void PreStart()
    {
        if (!_script.Joiner) Register();
    }

    private void Register() => _registry.Tell(new WorkerReports.RegisterWorker(Name, ParameterCount));

    // ---- A joiner waits for its cue.
    private void Dormant() =>
        Receive<JoinNow>(_ =>
        {
            _joinCue = Sender;
            Become(Registering);
            Register();
        });

    private void Registering()
    {
        Receive<WorkerCommands.Registered>(r =>
        {
            _supervisor = Sender;
            _version = Math.Max(_version, r.Version);
            Context.Watch(Sender);
            _recorder.Add(new WorkerActivity.Registered(Name, _recorder.Now));
            Become(Member);
            _joinCue?.Tell(new Joined(Name, null));
            _joinCue = null;
        });
        Receive<WorkerCommands.RegistrationRefused>(r =>
        {
            _recorder.Add(new WorkerActivity.Refused(Name, _recorder.Now, r.Reason));
            _joinCue?.Tell(new Joined(Name, r.Reason));
            _joinCue = null;
        });
        Receive<RegisterAgain>(_ => Register());
        Receive<StepDone>(KeepStepDone);
        Receive<Terminated>(_ => { }); // an earlier supervisor
    }

    private void Member()
    {
        Receive<WorkerCommands.StartEpoch>(s => s.Version >= _version, Start);
        Receive<Release>(r => _holding && r.Version == _attempt?.Version, _ =>
        {
            _holding = false;
            PlayStep();
        });
        Receive<StepDone>(d =>
        {
            KeepStepDone(d);
            CheckBarrier();
        });
        Receive<ActorIdentity>(i => i.MessageId is string id && id == _identifyId, _ => AfterBarrier());
        Receive<ReportDue>(r => _delayed?.Version == r.Version, _ =>
        {
            Send(_delayed!);
            _delayed = null;
        });
        Receive<WorkerCommands.StopEpoch>(s => s.Version >= _version && _attempt?.Epoch == s.Epoch, s =>
        {
            _stopReceived = true;
            _recorder.Add(new WorkerActivity.StopReceived(Name, _recorder.Now, s.Epoch));
        });
        Receive<WorkerCommands.AbortEpoch>(a => a.Version >= _version, a =>
        {
            _version = a.Version;
            DropAttempt();
            Sender.Tell(new WorkerReports.EpochAborted(a.Epoch, a.Version));
        });
        Receive<WorkerCommands.CaptureWeights>(c => Sender.Tell(new WorkerReports.WeightsCaptured(c.RequestId, _replica.Weights)));
        Receive<WorkerCommands.CaptureTrainingState>(c => Sender.Tell(new WorkerReports.TrainingStateCaptured(c.RequestId, _replica.State)));
        Receive<WorkerCommands.HashTrainingState>(c => Sender.Tell(new WorkerReports.TrainingStateHashed(c.RequestId,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(_replica.State)))));
        Receive<WorkerCommands.LoadWeights>(l => Load(() => SimulatedReplica.FromWeights(l.Weights), r =>
        {
            _recorder.Add(new WorkerActivity.WeightsLoaded(Name, _recorder.Now, r.Epoch));
            return new WorkerReports.WeightsLoaded(l.RequestId, r.ParameterHash);
        }));
        Receive<WorkerCommands.LoadTrainingState>(l => Load(() => l.State is null ? SimulatedReplica.Initial : SimulatedReplica.FromState(l.State), r =>
        {
            _recorder.Add(new WorkerActivity.StateLoaded(Name, _recorder.Now, r.Epoch));
            return new WorkerReports.TrainingStateLoaded(l.RequestId, r.ParameterHash);
        }));
        Receive<WorkerCommands.Evaluate>(e => Sender.Tell(Evaluation(e)));
        Receive<WorkerCommands.RunEnded>(e => e.Version >= _version, e =>
        {
            _recorder.Add(new WorkerActivity.Ended(Name, _recorder.Now, e.Outcome));
            Context.Stop(Self);
        });
        Receive<WorkerCommands.Registered>(r => _version = Math.Max(_version, r.Version)); // an answer to a repeated registration
        Receive<RegisterAgain>(_ => { });
        Receive<Terminated>(t => t.ActorRef.Equals(_supervisor), _ =>
        {
            _supervisor = null;
            DropAttempt();
            Become(Registering);
            Register();
        });
        Receive<Terminated>(_ => { });
        Receive<WorkerCommands.StopEpoch>(_ => { }); // for an attempt already reported or dropped
    }

    // ---- An epoch: hold if the scenario does something here (every member, so that nothing else of the
    // epoch happens before it, a lost worker included), then play step by step.
    private void Start(WorkerCommands.StartEpoch start)
    {
        _version = start.Version;
        DropAttempt();
        foreach (var key in _peersDone.Keys.Where(k => k.Version < start.Version).ToList()) _peersDone.Remove(key);
        (_attempt, _step, _runningSum, _runningCount) = (start, 0, 0, 0);
        _recorder.Add(new WorkerActivity.Started(Name, _recorder.Now, start.Epoch, start.Rank, start.Ring.Count, start.LearningRate, _replica.Epoch));
        if (_script.HoldEpochs.Contains(start.Epoch) && _held.Add(start.Epoch))
        {
            _holding = true;
            _runner.Tell(new Holding(Name, start.Epoch, start.Version));
            return;
        }
        PlayStep();
    }

    private void PlayStep()
    {
        var (s, b) = (_attempt!, _step);
        if (Fire<WorkerFault.Lose>(f => f.Epoch == s.Epoch && f.Batch == b) is { } lose)
        {
            _recorder.Add(new WorkerActivity.Lost(Name, _recorder.Now, s.Epoch, b));
            if (lose.Reason is { } reason) _supervisor!.Tell(new WorkerReports.WorkerFailed(Name, reason));
            Context.Stop(Self);
            return;
        }
        var losses = _script.Metrics.BatchLosses(s.Epoch, _script.StepsPerEpoch);
        var (lossSum, count) = (0.0, 1);
        if (s.Rank == 0)
        {
            (lossSum, count) = ExactShares.StepFor(_runningSum, _runningCount, losses[b], s.Ring.Count - 1);
            (_runningSum, _runningCount) = (_runningSum + lossSum, _runningCount + count + s.Ring.Count - 1);
        }
        if (Fire<WorkerFault.NaNLoss>(f => f.Epoch == s.Epoch && f.Batch == b) is not null)
        {
            lossSum = double.NaN;
            _nanThisEpoch = true;
        }
        _supervisor!.Tell(new WorkerReports.BatchTrained(s.Rank, s.Epoch, b, lossSum, count, s.Version));
        if (b == losses.Count - 1 || b >= _lastStep)
        {
            Finish(b + 1);
            return;
        }
        _barrierStep = b;
        foreach (var peer in s.Ring.Where(p => !p.Equals(Self))) peer.Tell(new StepDone(s.Version, b));
        CheckBarrier();
    }

    private void KeepStepDone(StepDone done)
    {
        if (_attempt is { } a && done.Version < a.Version) return;
        _peersDone[(done.Version, done.Step)] = _peersDone.GetValueOrDefault((done.Version, done.Step)) + 1;
    }

    // Every peer finished the step: wait until the supervisor has handled it (its StopEpoch, if any, comes first).
    private void CheckBarrier()
    {
        if (_barrierStep is not { } b || _attempt is not { } s || _peersDone.GetValueOrDefault((s.Version, b)) < s.Ring.Count - 1) return;
        _barrierStep = null;
        _identifyId = $"{Name}:{s.Version}:{b}";
        _supervisor!.Tell(new Identify(_identifyId));
    }

    private void AfterBarrier()
    {
        _identifyId = null;
        var b = _step;
        if (_stopReceived && _lastStep is null) _lastStep = b + _script.StopLag;
        if (b >= _lastStep)
        {
            Finish(b + 1);
            return;
        }
        _step = b + 1;
        PlayStep();
    }

    private void Finish(int steps)
    {
        var s = _attempt!;
        _attempt = null;
        _replica = new SimulatedReplica(s.Epoch);
        var (train, validation) = ExactShares.Sums(_script.Metrics.Epochs[s.Epoch], s.Rank, s.Ring.Count, _nanThisEpoch);
        var report = new WorkerReports.EpochTrained(s.Rank, s.Epoch, steps, train, validation, 0, _replica.ParameterHash, s.Version);
        if (Fire<WorkerFault.Slow>(f => f.Epoch == s.Epoch) is { } slow)
        {
            _delayed = report;
            Timers.StartSingleTimer("report", new ReportDue(s.Version), slow.Takes);
            _runner.Tell(new WaitingForTime(Name, _recorder.Now + slow.Takes));
            return;
        }
        Send(report);
    }

    private void Send(WorkerReports.EpochTrained report)
    {
        _supervisor!.Tell(report);
        _recorder.Add(new WorkerActivity.Reported(Name, _recorder.Now, report.Epoch, report.Steps));
    }

    private void DropAttempt()
    {
        if ((_attempt?.Epoch ?? _delayed?.Epoch) is { } epoch) _recorder.Add(new WorkerActivity.Aborted(Name, _recorder.Now, epoch));
        (_attempt, _delayed, _holding, _barrierStep, _identifyId) = (null, null, false, null, null);
        (_stopReceived, _lastStep, _nanThisEpoch) = (false, null, false);
    }

    private WorkerReports.Evaluated Evaluation(WorkerCommands.Evaluate e)
    {
        if (_replica.Epoch < 0 || _replica.Epoch >= _script.Metrics.Epochs.Count) return new WorkerReports.Evaluated(e.RequestId, [], []);
        // The model kept is evaluated as its epoch logged: the final metrics are those of the epoch whose weights it holds.
        var (train, validation) = ExactShares.Sums(_script.Metrics.Epochs[_replica.Epoch], e.Rank, e.Workers, nanLoss: false);
        return new WorkerReports.Evaluated(e.RequestId, train, validation);
    }

    // A state or weights that cannot be read fail the worker, as a replica that cannot load them would.
    private void Load(Func<SimulatedReplica> read, Func<SimulatedReplica, object> reply)
    {
        try
        {
            _replica = read();
        }
        catch (InvalidDataException e)
        {
            (_supervisor ?? _registry).Tell(new WorkerReports.WorkerFailed(Name, e.Message));
            Context.Stop(Self);
            return;
        }
        Sender.Tell(reply(_replica));
    }

    private T? Fire<T>(Func<T, bool> when) where T : WorkerFault
    {
        var fault = _script.Faults.OfType<T>().FirstOrDefault(f => f.Worker == Name && when(f) && !_fired.Contains(f));
        if (fault is null) return null;
        _fired.Add(fault);
        _recorder.Fault(fault switch
        {
            WorkerFault.Lose l => $"{Name} lost at epoch {l.Epoch}, batch {l.Batch}" + (l.Reason is null ? "" : $" ({l.Reason})"),
            WorkerFault.Slow w => $"{Name} took {w.Takes} to report epoch {w.Epoch}",
            WorkerFault.NaNLoss n => $"{Name} reported a NaN loss at epoch {n.Epoch}, batch {n.Batch}",
            _ => fault.ToString(),
        });
        return fault;
    }
}
