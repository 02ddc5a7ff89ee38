using Akka.Actor;
using Coordinator.Actors.Protocol;
using Coordinator.Callbacks.State;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

// Registration, joins, losses and epoch restarts; and asking members for work while tolerating losses.
public sealed partial class TrainingSupervisor
{
    /// <summary>Takes a registration: as a member (before the first epoch) or as a joiner (mid-run), up to max-workers.</summary>
    private bool Accept(WorkerReports.RegisterWorker register, bool asMember)
    {
        if (_members.Knows(Sender))
        {
            Sender.Tell(new WorkerCommands.Registered(Version, _settings.RunId)); // its earlier answer may have been lost
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

    /// <summary>Registrations once training has begun: joiners wait for the next epoch.</summary>
    private void Registration() => Command<WorkerReports.RegisterWorker>(r => Accept(r, asMember: false));

    private void AdmitJoiners(int epoch, Action then)
    {
        var joiners = _members.Joiners;
        LoadStateAfter(epoch - 1, joiners, () =>
        {
            // A joiner lost while loading is no longer among the joiners.
            var count = _members.Count + _members.Joiners.Count;
            var events = _members.Joiners.Select(j => (IRunEvent)new WorkerJoined(_members.NameOf(j), epoch, count)).ToList();
            PersistThen(events, () =>
            {
                foreach (var name in _members.Admit())
                    Report(new RunProgress.MembersChanged(MemberChange.Joined, name, epoch, _members.Names, null));
                then();
            });
        });
    }

    /// <summary>
    /// Brings <paramref name="workers"/> to the state after <paramref name="epoch"/>: its resume state
    /// (read from the store, rank r taking file r mod files), or the run's starting state for -1.
    /// </summary>
    private void LoadStateAfter(int epoch, IReadOnlyList<IActorRef> workers, Action then)
    {
        byte[]?[] states;
        try
        {
            var saved = epoch < 0 ? null : _state.ResumeStates.FirstOrDefault(r => r.Epoch == epoch)
                ?? throw new InvalidOperationException($"there is no resume state of epoch {epoch + 1} to go on from");
            states = saved is null ? [null] : saved.Files.Select(f => (byte[]?)_store.Read(_paths.Resolve(f.Path))).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Fail($"the state to go on from could not be read: {e.Message}");
            return;
        }
        AskMembers(workers, (id, rank, _) => new WorkerCommands.LoadTrainingState(id, states[rank % states.Length]),
            (WorkerReports.TrainingStateLoaded r) => r.RequestId, loaded =>
            {
                if (loaded.Select(l => l.ParameterHash).Distinct().Count() > 1)
                    Report(new RunProgress.Warning("the replicas differ after loading the state to go on from"));
                then();
            });
    }

    // ---- A member lost mid-epoch: record it, then restart the epoch with the others, or fail.
    private void LostMidEpoch(int epoch, IActorRef worker, string reason)
    {
        Timers.Cancel("epoch-timeout");
        var name = _members.NameOf(worker);
        _members.Remove(worker);
        var lost = new WorkerLost(name, epoch, reason, _members.Count);
        Report(new RunProgress.MembersChanged(MemberChange.LostDuringEpoch, name, epoch, _members.Names, reason));
        if (_members.Count < _settings.MinWorkers)
            PersistThen([lost], () => Fail(
                $"worker {name} {reason} during epoch {epoch + 1}; {_members.Count} worker(s) remain, fewer than min-workers = {_settings.MinWorkers}"));
        else if (_state.Restarts >= _settings.MaxRestarts)
            PersistThen([lost], () => Fail(
                $"worker {name} {reason} during epoch {epoch + 1}, and the restart budget is used up (max-restarts = {_settings.MaxRestarts})"));
        else
        {
            var restart = new EpochRestarted(epoch, _members.Count, _state.Restarts + 1, _settings.MaxRestarts);
            PersistThen([lost, restart], () =>
            {
                Report(new RunProgress.EpochRestarting(epoch, _members.Count, restart.Restart, restart.MaxRestarts));
                var abort = Version;
                AskMembers(_members.Ring, (_, _, _) => new WorkerCommands.AbortEpoch(abort, epoch),
                    (WorkerReports.EpochAborted a) => a.Version == abort ? RequestOf(abort) : -1,
                    _ => RestartEpoch(epoch), requestId: RequestOf(abort));
            });
        }
    }

    // EpochAborted answers by version; map it into the request-id space of AskMembers.
    private static long RequestOf(long version) => -1 - version;

    private void RestartEpoch(int epoch)
    {
        if (epoch == 0)
        {
            _engine = NewEngine();
            foreach (var d in _engine.TrainBegin()) Observe(d);
        }
        else
            _engine.RestoreState(CallbackJsonContext.Deserialize(
                _state.Epochs.Single(e => e.Epoch == epoch - 1).CallbackState)); // the bounded state keeps the last epochs
        LoadStateAfter(epoch - 1, _members.Ring, () => BeginEpoch(epoch));
    }

    // ---- A member lost between epochs (files, loading, evaluating): record it; the next epoch re-splits.
    private void LostBetweenEpochs(IActorRef worker, string reason, Action then)
    {
        var name = _members.NameOf(worker);
        if (!_members.Remove(worker))
        {
            Report(new RunProgress.MembersChanged(MemberChange.LostBeforeJoining, name, _state.NextEpoch, _members.Names, reason));
            then();
            return;
        }
        var epoch = _state.NextEpoch;
        Report(new RunProgress.MembersChanged(MemberChange.LostBetweenEpochs, name, epoch, _members.Names, reason));
        PersistThen([new WorkerLost(name, epoch, reason, _members.Count)], () =>
        {
            if (_members.Count < _settings.MinWorkers)
                Fail($"worker {name} {reason}; {_members.Count} worker(s) remain, fewer than min-workers = {_settings.MinWorkers}");
            else
                then();
        });
    }

    /// <summary>
    /// Sends each of <paramref name="targets"/> a request (with its rank among them) and continues once
    /// every one still a member has answered. A target lost meanwhile is recorded and no longer waited
    /// for; with <paramref name="askAgainOnLoss"/> the request goes out again to the remaining ones
    /// (for work split by rank, such as the final evaluation).
    /// </summary>
    private void AskMembers<TReply>(IReadOnlyList<IActorRef> targets, Func<long, int, int, object> request,
        Func<TReply, long> requestIdOf, Action<IReadOnlyList<TReply>> then, bool askAgainOnLoss = false, long? requestId = null) =>
        AskMembers(targets, request, requestIdOf, (_, replies) => then(replies), askAgainOnLoss, requestId);

    /// <summary>As above; <paramref name="then"/> gets the workers that answered, with their answers in the same order.</summary>
    private void AskMembers<TReply>(IReadOnlyList<IActorRef> targets, Func<long, int, int, object> request,
        Func<TReply, long> requestIdOf, Action<IReadOnlyList<IActorRef>, IReadOnlyList<TReply>> then, bool askAgainOnLoss = false,
        long? requestId = null)
    {
        var id = requestId ?? ++_nextRequest;
        var waiting = targets.ToList();
        var replies = new Dictionary<IActorRef, TReply>();
        void Check()
        {
            if (waiting.All(replies.ContainsKey)) then(waiting.ToList(), waiting.Select(w => replies[w]).ToList());
        }
        void Lose(IActorRef worker, string reason) => LostBetweenEpochs(worker, reason, () =>
        {
            waiting.Remove(worker);
            if (askAgainOnLoss) AskMembers(waiting, request, requestIdOf, then, askAgainOnLoss);
            else
            {
                Become(Asking);
                Check();
            }
        });
        void Asking()
        {
            Command<TReply>(r => requestIdOf(r) == id && waiting.Contains(Sender), r =>
            {
                replies[Sender] = r;
                Check();
            });
            Command<Terminated>(t => waiting.Contains(t.ActorRef), t => Lose(t.ActorRef, "stopped (its process or node is gone)"));
            Command<WorkerReports.WorkerFailed>(_ => waiting.Contains(Sender), f => Lose(Sender, $"failed: {f.Reason}"));
            Command<Terminated>(t => _members.Remove(t.ActorRef)); // a joiner, or a member not asked
            Registration();
            CommonFailures();
        }
        Become(Asking);
        for (var rank = 0; rank < waiting.Count; rank++) waiting[rank].Tell(request(id, rank, waiting.Count));
        Check();
    }

    /// <summary>Asks the first member (rank 0) for something only one needs to give (weights to store);
    /// if it is lost first, the next member is asked.</summary>
    private void AskFirst<TReply>(Func<long, object> request, Func<TReply, long> requestIdOf, Action<TReply> then)
    {
        if (_members.Count == 0)
        {
            Fail("no worker is left to ask");
            return;
        }
        AskMembers([_members.Ring[0]], (id, _, _) => request(id), requestIdOf, replies =>
        {
            if (replies.Count == 1) then(replies[0]);
            else AskFirst(request, requestIdOf, then);
        });
    }
}
