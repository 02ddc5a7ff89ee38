using Akka.Actor;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision.Children;
using Coordinator.Actors.Supervision.Decider;
using Coordinator.Actors.Supervision.Status;
using Coordinator.Actors.Supervision.Store;
using Coordinator.Callbacks;
using Coordinator.Callbacks.State;
using static Coordinator.Actors.Supervision.SupervisorSteps;

namespace Coordinator.Actors.Supervision;

// Starting and resuming, the epochs themselves, registrations, joins, losses and restarts.
public sealed partial class TrainingSupervisor
{
    private void BeginTraining(int parameterCount)
    {
        Timers.Cancel("workers-timeout");
        _members.SortByName();
        if (_state.Completed is null || SupervisorDecider.ExtendsEpochLimit(_state, _settings))
            Report(new RunProgress.RunBegan(_settings.Epochs, _settings.StepsPerEpoch, _members.Names, _state.Started is not null));
        Enter(SupervisorPhase.Resuming);
        Carry(SupervisorDecider.Begin(_state, _settings, _members.Count, parameterCount, DateTimeOffset.UtcNow));
    }

    private void TrainBegin() => Observe(_engine.TrainBegin());

    // ---- Resuming a run that a previous process (or supervisor node) left unfinished: check its resume states.
    private void CheckResumeStates()
    {
        var candidates = SupervisorDecider.ResumeCandidates(_state);
        InStore(store => StoreJobs.CheckResumeStates(store, _paths, candidates), problems => new ResumeStatesChecked(problems));
    }

    private void GoOnFrom(int target)
    {
        var (run, settings, paths) = (_state, _settings, _paths);
        InStore(store => StoreJobs.RemoveFilesTheJournalDoesNotKeep(store, paths, run, settings), w => new StoreWarnings(w));
        if (target >= 0)
        {
            InStore(store => StoreJobs.MissingLogRows(store, settings, target), w => new StoreWarnings(w));
            _engine.RestoreState(CallbackJsonContext.Deserialize(_state.Epochs.Single(e => e.Epoch == target).CallbackState));
            Report(new RunProgress.Note($"resuming after epoch {target + 1} (of {_settings.Epochs})"));
        }
        else
            TrainBegin();
        // Workers that outlived a supervisor may be mid-epoch: every member loads the state to go on from.
        LoadStateAfter(target, new AfterLoad.GoOn(target));
    }

    /// <summary>Brings members (or, for <see cref="AfterLoad.AdmitJoiners"/>, the joiners) to the state after
    /// <paramref name="epoch"/>: its resume state (rank r taking file r mod files), or the run's starting state for -1.</summary>
    private void LoadStateAfter(int epoch, AfterLoad then)
    {
        var run = _state;
        InStore(store => StoreJobs.ReadStates(store, _paths, run, epoch), states => new StatesRead(then, states));
    }

    private void ContinueAfter(int epoch)
    {
        if (SupervisorDecider.IsLastEpoch(epoch, _engine.StopTraining, _settings)) Finish();
        else BeginEpoch(epoch + 1);
    }

    // ---- One epoch in flight. Joiners are brought to the members' state first.
    private void BeginEpoch(int epoch)
    {
        _epoch = null;
        if (_members.HasJoiners)
        {
            Enter(SupervisorPhase.AdmittingJoiners);
            LoadStateAfter(epoch - 1, new AfterLoad.AdmitJoiners(epoch));
            return;
        }
        if (SupervisorDecider.CannotBegin(_members.Count, _settings) is { } reason)
        {
            Fail(reason);
            return;
        }
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
        Observe(started.Decisions);
        var barrier = Context.ActorOf(EpochBarrier.Props(new EpochBarrier.Spec(Version, epoch, started.LearningRate, _members.Ring,
            _members.Names, _settings.EpochTimeout, Self)), $"epoch-{epoch}-{++_nextRequest}");
        _epoch = new EpochInFlight(epoch, Version, barrier, _members.Count);
        _epoch.Decisions.AddRange(started.Decisions);
        Enter(SupervisorPhase.TrainingEpoch);
        Report(new RunProgress.EpochBegan(epoch, _settings.Epochs, _settings.StepsPerEpoch, started.LearningRate));
    }

    private void TrainingEpoch()
    {
        var flight = _epoch!;
        Command<WorkerReports.BatchTrained>(b => b.Epoch == flight.Epoch && b.Version == flight.Attempt, b =>
        {
            foreach (var (step, running) in flight.Steps.Add(b))
            {
                Report(new RunProgress.StepsReported(flight.Epoch, step, [running]));
                if (flight.StopSent) continue; // Keras runs no batch callbacks after the batch that stopped training
                var ended = _engine.EndBatch(step, new MetricLogs { ["loss"] = running });
                flight.Decisions.AddRange(ended.Decisions);
                Observe(ended.Decisions);
                if (!ended.StopTraining) continue;
                flight.StopSent = true;
                foreach (var w in _members.Ring) w.Tell(new WorkerCommands.StopEpoch(flight.Attempt, flight.Epoch));
            }
        });
        Command<WorkerReports.EpochTrained>(r => flight.Barrier.Forward(r));
        Command<EpochBarrier.Passed>(p => p.Version == flight.Attempt, p => EndEpoch(p.Reports));
        Command<EpochBarrier.TimedOut>(t => t.Version == flight.Attempt, t => Fail(t.Reason));
        Command<Terminated>(t => _members.IsMember(t.ActorRef), t => LostMidEpoch(t.ActorRef, "stopped (its process or node is gone)"));
        Command<WorkerReports.WorkerFailed>(_ => _members.IsMember(Sender), f => LostMidEpoch(Sender, $"failed: {f.Reason}"));
    }

    // ---- Registrations: as a member (before the first epoch) or as a joiner (mid-run), up to max-workers.
    private bool Accept(WorkerReports.RegisterWorker register, bool asMember)
    {
        if (_members.Knows(Sender))
        {
            Sender.Tell(new WorkerCommands.Registered(Version, _settings.RunId)); // its earlier answer may have been lost
            return false;
        }
        if (DataMismatch(register) is { } mismatch)
        {
            Report(new RunProgress.Warning(mismatch));
            Sender.Tell(new WorkerCommands.RegistrationRejected(mismatch));
            return false;
        }
        if (_members.Total >= _settings.MaxWorkers)
        {
            Sender.Tell(new WorkerCommands.RegistrationRefused($"the run has its {_settings.MaxWorkers} workers (max-workers)"));
            return false;
        }
        Context.Watch(Sender);
        _parameterCount = register.ParameterCount;
        if (asMember) _members.AddMember(Sender, register.Name);
        else
        {
            _members.AddJoiner(Sender, register.Name);
            Report(new RunProgress.WorkerWaiting(register.Name));
        }
        Sender.Tell(new WorkerCommands.Registered(Version, _settings.RunId));
        return true;
    }

    /// <summary>A worker that read other data than the run's (as its RunStarted recorded it, or this process read it): why it is refused.</summary>
    private string? DataMismatch(WorkerReports.RegisterWorker register)
    {
        var run = _state.Started?.DataSha256 ?? _settings.DataSha256;
        return register.DataSha256 is null || run is null || register.DataSha256 == run
            ? null
            : $"worker {register.Name} was refused: its data file has SHA-256 {register.DataSha256}, the run's data has SHA-256 {run}";
    }

    // ---- A member lost mid-epoch: record it, then restart the epoch with the others, or fail.
    private void LostMidEpoch(IActorRef worker, string reason)
    {
        var epoch = _epoch!.Epoch;
        Context.Stop(_epoch.Barrier);
        _epoch = null;
        var name = _members.NameOf(worker);
        _members.Remove(worker);
        Enter(SupervisorPhase.RestartingEpoch);
        Carry(SupervisorDecider.LostMidEpoch(_state, _settings, name, epoch, reason, _members.Names));
    }

    // Every member drops the epoch in flight (each answers once its thread is out of the allreduce).
    private void AbortEpoch(int epoch)
    {
        var abort = Version;
        AskMembers(new SupervisorSteps.AbortEpoch(epoch), _members.Ring, (_, _, _) => new WorkerCommands.AbortEpoch(abort, epoch),
            isAnswer: a => a is WorkerReports.EpochAborted e && e.Version == abort);
    }

    private void RestartEpoch(int epoch)
    {
        if (epoch == 0)
        {
            _engine = NewEngine();
            TrainBegin();
        }
        else
            _engine.RestoreState(CallbackJsonContext.Deserialize(
                _state.Epochs.Single(e => e.Epoch == epoch - 1).CallbackState)); // the bounded state keeps the last epochs
        LoadStateAfter(epoch - 1, new AfterLoad.Restart(epoch));
    }

    // ---- A worker lost between epochs (files, loading, evaluating): record it; the next epoch re-splits.
    private void LostBetweenEpochs(IActorRef worker, string reason)
    {
        var name = _members.NameOf(worker);
        var wasMember = _members.Remove(worker);
        var decision = SupervisorDecider.LostBetweenEpochs(_state, _settings, name, reason, wasMember, _members.Names);
        PersistThen(decision.Events, () =>
        {
            foreach (var effect in decision.Effects) Apply(effect);
            if (!decision.Effects.OfType<SupervisorEffect.FailRun>().Any() && _round is { } round && round.Targets.Contains(worker))
                round.Actor.Tell(new MemberRound.TargetLost(worker));
        });
    }

    // ---- What rounds and file work bring back, in every phase between the first epoch and the end.
    private void Steps()
    {
        Command<MemberRound.Completed>(c => _round is { } r && r.Actor.Equals(Sender), c =>
        {
            _round = null;
            Completed(c);
        });
        Command<ResumeStatesChecked>(c => Carry(SupervisorDecider.Resume(_state, c.Problems, _paths, DateTimeOffset.UtcNow)));
        Command<StatesRead>(read =>
        {
            var targets = read.Then is AfterLoad.AdmitJoiners ? _members.Joiners : _members.Ring;
            AskMembers(new LoadState(read.Then), targets,
                (id, rank, _) => new WorkerCommands.LoadTrainingState(id, read.States[rank % read.States.Length]));
        });
        EpochEndSteps();
        FinishSteps();
    }

    private void Completed(MemberRound.Completed round)
    {
        switch (round.Purpose)
        {
            case LoadState load:
                if (round.Answers.Cast<WorkerReports.TrainingStateLoaded>().Select(l => l.ParameterHash).Distinct().Count() > 1)
                    Report(new RunProgress.Warning("the replicas differ after loading the state to go on from"));
                AfterLoading(load.Then);
                break;
            case SupervisorSteps.AbortEpoch abort:
                RestartEpoch(abort.Epoch);
                break;
            default:
                EpochEndRound(round);
                break;
        }
    }

    private void AfterLoading(AfterLoad then)
    {
        switch (then)
        {
            case AfterLoad.GoOn g:
                ContinueAfter(g.FromEpoch);
                break;
            case AfterLoad.Restart r:
                BeginEpoch(r.Epoch);
                break;
            case AfterLoad.AdmitJoiners a:
                // A joiner lost while loading is no longer among the joiners.
                var joined = SupervisorDecider.Joined(_members.JoinerNames, _members.Names, a.Epoch);
                PersistThen(joined.Events, () =>
                {
                    _members.Admit();
                    foreach (var effect in joined.Effects) Apply(effect);
                    BeginEpoch(a.Epoch);
                });
                break;
        }
    }
}
