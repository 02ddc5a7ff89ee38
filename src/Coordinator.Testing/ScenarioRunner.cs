using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Coordinator.Actors.Events;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Core.Reporting;
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
internal sealed class ScenarioRunner(ScenarioPlan plan)
{
    public ScenarioResult Run()
    {
        var wall = Stopwatch.StartNew();
        using var kit = new Akka.TestKit.Xunit2.TestKit(ScenarioConfig.Create(plan.Output is not null), "scenario", plan.Output);
        var system = kit.Sys;
        var clock = new VirtualClock((TestScheduler)system.Scheduler);
        var recorder = new ActivityRecorder(clock);
        var store = new InMemoryCheckpointStore(corrupt: plan.CorruptedFiles.Contains);
        var faults = JournalFaults.For(system);
        if (plan.JournalFault is { FromEpoch: var from })
            faults.FailFrom((id, e) => id == plan.Settings.PersistenceId && e is RunEvents.EpochCompleted c && c.Epoch >= from);

        var director = kit.CreateTestProbe("director"); // the supervisor's observer, and the workers' runner
        var control = kit.CreateTestProbe("control");
        var proxy = system.ActorOf(SupervisorProxy.Props(), "supervisor-proxy");
        var incarnation = 0;
        IActorRef StartSupervisor()
        {
            var supervisor = system.ActorOf(TrainingSupervisor.Props(plan.Settings, director.Ref, store), $"supervisor-{++incarnation}");
            director.Watch(supervisor);
            proxy.Tell(new Attach(supervisor, incarnation == 1 ? plan.Workers.Count(w => !w.Joiner) : 0));
            return supervisor;
        }
        var current = StartSupervisor();
        var workers = plan.Workers.ToDictionary(w => w.Name,
            w => system.ActorOf(SimulatedWorker.Props(w, proxy, director.Ref, recorder), w.Name));

        var progress = new List<object>();
        // The runner's own waits (for the proxy, a joiner, a supervisor): what they wait for always comes unless the run is stuck.
        object Await(Predicate<object> what)
        {
            try
            {
                return control.FishForMessage(what, plan.Stall);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw Stuck(progress, recorder);
            }
        }
        var finishes = new List<RunProgress.RunFinished>();
        var holdsDone = new HashSet<int>();
        var (resumeAfterFault, supervisorGone) = (false, false);
        var advances = 0;
        while (true)
        {
            var message = director.ReceiveOne(plan.Stall) ?? throw Stuck(progress, recorder);
            var sender = director.LastSender;
            switch (message)
            {
                case RunProgress.RunFinished finished:
                    progress.Add(finished);
                    finishes.Add(finished);
                    if (plan.JournalFault is { ThenResume: true } && faults.Tripped)
                    {
                        // The journal works again: a new supervisor goes on once the failed one has stopped.
                        faults.Clear();
                        recorder.Fault($"the journal could not be written from epoch {plan.JournalFault.Value.FromEpoch}; writes pass again");
                        resumeAfterFault = true;
                        if (supervisorGone) (current, resumeAfterFault, supervisorGone) = (StartSupervisor(), false, false);
                        continue;
                    }
                    return Result(system, director, store, recorder, progress, finishes, incarnation, clock, wall);
                case Terminated t when t.ActorRef.Equals(current):
                    supervisorGone = true;
                    if (resumeAfterFault) (current, resumeAfterFault, supervisorGone) = (StartSupervisor(), false, false);
                    break;
                case Terminated:
                    break; // a supervisor the runner replaced
                case Holding hold:
                    // The first member to hold at an epoch triggers what the scenario does there; every holder is released
                    // after it, except where the supervisor was replaced: there the holders drop the attempt and register again.
                    if (holdsDone.Add(hold.Epoch))
                    {
                        for (var i = 0; i < plan.JoinEpochs.Count; i++)
                            if (plan.JoinEpochs[i] == hold.Epoch)
                            {
                                var joiner = plan.Workers[plan.Workers.Count - plan.JoinEpochs.Count + i].Name;
                                workers[joiner].Tell(JoinNow.Instance, control.Ref);
                                var joined = (Joined)Await(m => m is Joined j && j.Worker == joiner);
                                recorder.Fault($"{joiner} registered during epoch {hold.Epoch}" + (joined.Refused is { } why ? $", and was refused: {why}" : ""));
                            }
                        if (plan.RestartAfter == hold.Epoch - 1)
                        {
                            proxy.Tell(Detach.Instance, control.Ref);
                            Await(m => m is Detached);
                            control.Watch(current);
                            system.Stop(current);
                            Await(m => m is Terminated t && t.ActorRef.Equals(current));
                            recorder.Fault($"the supervisor was restarted after epoch {plan.RestartAfter}");
                            current = StartSupervisor();
                        }
                    }
                    if (plan.RestartAfter != hold.Epoch - 1) sender.Tell(new Release(hold.Version));
                    break;
                case WaitingForTime wait:
                    // Move time only once the supervisor has handled what it was doing (its epoch timer is set).
                    var id = $"advance-{++advances}";
                    current.Tell(new Identify(id), control.Ref);
                    Await(m => m is ActorIdentity i && Equals(i.MessageId, id));
                    clock.AdvanceTo(wait.Due);
                    break;
                default:
                    progress.Add(message);
                    break;
            }
        }
    }

    private ScenarioResult Result(ActorSystem system, TestProbe reader, Storage.InMemoryCheckpointStore store, ActivityRecorder recorder,
        List<object> progress, List<RunProgress.RunFinished> finishes, int incarnations, VirtualClock clock, Stopwatch wall)
    {
        system.ActorOf(EventReader.Props(plan.Settings.PersistenceId, reader.Ref));
        var events = reader.FishForMessage<EventReader.Replayed>(_ => true, plan.Stall).Events;
        return ScenarioResults.From(plan.Settings, events, store, recorder, progress, finishes, incarnations, clock.Now, wall.Elapsed);
    }

    private InvalidOperationException Stuck(List<object> progress, ActivityRecorder recorder) =>
        new($"the scenario made no progress for {plan.Stall.TotalSeconds:0} s (real time): the run waits for something that does " +
            "not happen (too few workers for min-workers?). The supervisor last said:\n  " +
            string.Join("\n  ", progress.TakeLast(8)) + "\nThe workers last did:\n  " + string.Join("\n  ", recorder.Activity.TakeLast(8)));
}
