using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Coordinator.Actors.Events;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Testing.Persistence;
using Coordinator.Testing.Results;
using Coordinator.Testing.Simulation;
using Coordinator.Testing.Storage;
using static Coordinator.Testing.Simulation.SimulationMessages;

namespace Coordinator.Testing;

/// <summary>
/// Runs one scenario in its own actor system: the real supervisor (and, after a restart or a journal
/// fault, the next one with the same journal and store), the simulated workers, and this runner, which
/// observes the run and does what the scenario does at the moments workers signal: lets a worker
/// register, restarts the supervisor, moves virtual time for a slow worker. Nothing waits on the wall
/// clock except the guard against a run that never ends.
/// </summary>
internal sealed class ScenarioRunner : IDisposable
{
    private readonly ScenarioPlan _plan;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly Akka.TestKit.Xunit2.TestKit _kit;
    private readonly VirtualClock _clock;
    private readonly ActivityRecorder _recorder;
    private readonly InMemoryCheckpointStore _store;
    private readonly JournalFaults _faults;
    private readonly TestProbe _director; // subscribed to the run's progress, and where workers signal
    private readonly TestProbe _control;  // the runner's own exchanges with the proxy, joiners and supervisors
    private readonly IActorRef _proxy;
    private readonly Dictionary<string, IActorRef> _workers;
    private readonly List<object> _progress = [];
    private readonly List<RunProgress.RunFinished> _finishes = [];
    private readonly HashSet<int> _holdsDone = [];
    private IActorRef _supervisor;
    private int _incarnations;
    private int _advances;
    private bool _resumeAfterFault;
    private bool _supervisorGone;

    public ScenarioRunner(ScenarioPlan plan)
    {
        _plan = plan;
        _kit = new Akka.TestKit.Xunit2.TestKit(ScenarioConfig.Create(plan.Output is not null), "scenario", plan.Output);
        _clock = new VirtualClock((TestScheduler)_kit.Sys.Scheduler);
        _recorder = new ActivityRecorder(_clock);
        _store = new InMemoryCheckpointStore(corrupt: plan.CorruptedFiles.Contains);
        _faults = JournalFaults.For(_kit.Sys);
        if (plan.JournalFault is { FromEpoch: var from })
            _faults.FailFrom((id, e) => id == plan.Settings.PersistenceId && e is RunEvents.EpochCompleted c && c.Epoch >= from);
        _director = _kit.CreateTestProbe("director");
        _control = _kit.CreateTestProbe("control");
        _proxy = _kit.Sys.ActorOf(SupervisorProxy.Props(), "supervisor-proxy");
        RunProgressSubscription.ForwardTo(_kit.Sys, plan.Settings.RunId, _director.Ref);
        _supervisor = StartSupervisor();
        _workers = plan.Workers.ToDictionary(w => w.Name,
            w => _kit.Sys.ActorOf(SimulatedWorker.Props(w, _proxy, _director.Ref, _recorder), w.Name));
    }

    public void Dispose() => _kit.Dispose();

    /// <summary>Observes the run until it ends, acting on the workers' signals.</summary>
    public ScenarioResult Run()
    {
        while (true)
        {
            var message = _director.ReceiveOne(_plan.Stall) ?? throw Stuck();
            var sender = _director.LastSender;
            switch (message)
            {
                case RunProgress.RunFinished finished:
                    _progress.Add(finished);
                    _finishes.Add(finished);
                    if (_plan.JournalFault is { ThenResume: true } && _faults.Tripped) ResumeOnceTheJournalWorks();
                    else return Result();
                    break;
                case Terminated t when t.ActorRef.Equals(_supervisor):
                    _supervisorGone = true;
                    if (_resumeAfterFault) Resume();
                    break;
                case Terminated:
                    break; // a supervisor the runner replaced
                case Holding hold:
                    OnHold(hold, sender);
                    break;
                case WaitingForTime wait:
                    AdvanceTo(wait.Due);
                    break;
                default:
                    _progress.Add(message);
                    break;
            }
        }
    }

    private IActorRef StartSupervisor()
    {
        var supervisor = _kit.Sys.ActorOf(TrainingSupervisor.Props(_plan.Settings, RunProgressPublisher.For(_kit.Sys, _plan.Settings.RunId), _store), $"supervisor-{++_incarnations}");
        _director.Watch(supervisor);
        _proxy.Tell(new Attach(supervisor, _incarnations == 1 ? _plan.Workers.Count(w => !w.Joiner) : 0));
        return supervisor;
    }

    // The first member to hold at an epoch triggers what the scenario does there; every holder is released after
    // it, except where the supervisor was replaced: there the holders drop the attempt and register again.
    private void OnHold(Holding hold, IActorRef holder)
    {
        var restart = _plan.RestartAfter == hold.Epoch - 1;
        if (_holdsDone.Add(hold.Epoch))
        {
            for (var i = 0; i < _plan.JoinEpochs.Count; i++)
                if (_plan.JoinEpochs[i] == hold.Epoch)
                    Join(_plan.Workers[_plan.Workers.Count - _plan.JoinEpochs.Count + i].Name, hold.Epoch);
            if (restart) RestartSupervisor();
        }
        if (!restart) holder.Tell(new Release(hold.Version));
    }

    private void Join(string joiner, int epoch)
    {
        _workers[joiner].Tell(JoinNow.Instance, _control.Ref);
        var joined = (Joined)Await(m => m is Joined j && j.Worker == joiner);
        _recorder.Fault($"{joiner} registered during epoch {epoch}" + (joined.Refused is { } why ? $", and was refused: {why}" : ""));
    }

    private void RestartSupervisor()
    {
        _proxy.Tell(Detach.Instance, _control.Ref);
        Await(m => m is Detached);
        var stopping = _supervisor;
        _control.Watch(stopping);
        _kit.Sys.Stop(stopping);
        Await(m => m is Terminated t && t.ActorRef.Equals(stopping));
        _recorder.Fault($"the supervisor was restarted after epoch {_plan.RestartAfter}");
        _supervisor = StartSupervisor();
    }

    // The journal works again: a new supervisor goes on once the failed one has stopped.
    private void ResumeOnceTheJournalWorks()
    {
        _faults.Clear();
        _recorder.Fault($"the journal could not be written from epoch {_plan.JournalFault!.Value.FromEpoch}; writes pass again");
        _resumeAfterFault = true;
        if (_supervisorGone) Resume();
    }

    private void Resume()
    {
        (_resumeAfterFault, _supervisorGone) = (false, false);
        _supervisor = StartSupervisor();
    }

    // Moves time only once the supervisor has handled everything before (its epoch timer is set): an Identify round trip.
    private void AdvanceTo(TimeSpan due)
    {
        var id = $"advance-{++_advances}";
        _supervisor.Tell(new Identify(id), _control.Ref);
        Await(m => m is ActorIdentity i && Equals(i.MessageId, id));
        _clock.AdvanceTo(due);
    }

    // The runner's own waits: what they wait for always comes, unless the run is stuck.
    private object Await(Predicate<object> what)
    {
        try
        {
            return _control.FishForMessage(what, _plan.Stall);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Stuck();
        }
    }

    private ScenarioResult Result()
    {
        _kit.Sys.ActorOf(EventReader.Props(_plan.Settings.PersistenceId, _control.Ref));
        var events = ((EventReader.Replayed)Await(m => m is EventReader.Replayed)).Events;
        return ScenarioResults.From(_plan.Settings, events, _store, _recorder, _progress, _finishes, _incarnations, _clock.Now, _wall.Elapsed);
    }

    private InvalidOperationException Stuck() =>
        new($"the scenario made no progress for {_plan.Stall.TotalSeconds:0} s (real time): the run waits for something that does " +
            "not happen (too few workers for min-workers?). The supervisor last said:\n  " +
            string.Join("\n  ", _progress.TakeLast(8)) + "\nThe workers last did:\n  " + string.Join("\n  ", _recorder.Activity.TakeLast(8)));
}
