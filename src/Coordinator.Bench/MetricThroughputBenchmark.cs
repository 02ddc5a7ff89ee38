using Akka.Actor;
using Akka.Configuration;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.Supervision;
using Coordinator.Cli.Bench.Actors;
using Coordinator.Cli.Hosting;
using Coordinator.Configuration;

namespace Coordinator.Cli.Bench;

/// <summary>
/// B4: how many batch reports per second the supervisor handles in its training phase, with one
/// callback of every kind configured, against an actor that does nothing with them, in the same
/// ActorSystem. Two scripted workers (<see cref="ScriptedWorker"/>) send one epoch of reports as
/// fast as they can, to a new supervisor (whose work ends when the observer has the progress of
/// the last step) or to the no-op actor (when it has counted them all), alternately.
/// </summary>
public static class MetricThroughputBenchmark
{
    private const int Workers = 2;

    // One of each callback, as a run configures them (save-freq = epoch: no file is written within an epoch).
    private const string AllCallbacks = """
        callbacks = [
          { type = learning-rate-scheduler, schedule { kind = exponential-after, hold-epochs = 10, rate = 0.1 } }
          { type = reduce-lr-on-plateau, monitor = val_loss, factor = 0.2, patience = 5, min-lr = 0.0001 }
          { type = early-stopping, monitor = val_loss, patience = 3, restore-best-weights = true }
          { type = model-checkpoint, filepath = "ckpt-{epoch:02d}-{val_loss:.4f}.weights", monitor = val_loss, save-best-only = true }
          { type = terminate-on-nan }
          { type = csv-logger, filename = "log.csv" }
        ]
        """;

    public static Comparison Run(int rounds, int reports, string folder, Action<string> log)
    {
        Directory.CreateDirectory(folder);
        var steps = reports / Workers;
        var config = ConfigurationFactory.ParseString("""
                akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
                """).WithFallback(AkkaConfig.ForSqlite(Path.Combine(folder, "unused.db"), null));
        var system = ActorSystem.Create("bench-metrics", config);
        try
        {
            var supervised = new List<double>();
            var noOp = new List<double>();
            for (var round = -1; round < rounds; round++) // round -1: warm-up
            {
                double s, n;
                if (round % 2 == 0)
                {
                    s = Supervisor(system, round + 1, steps, folder);
                    n = NoOp(system, round + 1, steps);
                }
                else
                {
                    n = NoOp(system, round + 1, steps);
                    s = Supervisor(system, round + 1, steps, folder);
                }
                log($"B4 {(round < 0 ? "warm-up" : $"round {round + 1}/{rounds}")}: supervisor {Workers * steps / s:0} reports/s, no-op actor {Workers * steps / n:0} reports/s");
                if (round < 0) continue;
                supervised.Add(Workers * steps / s);
                noOp.Add(Workers * steps / n);
            }
            return Comparison.Ratio("B4", $"batch reports/s handled: the supervisor with all 6 callbacks vs a no-op actor ({Workers} scripted workers, {Workers * steps} reports)",
                "supervisor", "no-op actor", supervised, noOp, "reports/s", Goal.AtLeast(0.25),
                "scripted workers speak the registration protocol (RegisterWorker, StartEpoch with rank and ring, versioned BatchTrained): Bench/Actors/ScriptedWorker.cs");
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }
    }

    // Seconds from the first report sent to the observer's progress line for the last step.
    private static double Supervisor(ActorSystem system, int round, int steps, string folder)
    {
        var clock = new BlastClock();
        var done = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = system.ActorOf(Props.Create(() => new LastStepObserver(steps - 1, clock, done)), $"observer-{round}");
        var callbacks = CallbackConfigReader.Read(ConfigurationFactory.ParseString(AllCallbacks));
        var settings = new SupervisorSettings($"bench-metrics-{round}", Path.Combine(folder, $"run-{round}"), Workers, 1_000, steps, callbacks,
            0.01, "gradients", 42, "bench", TimeSpan.FromMinutes(10));
        RunProgressSubscription.Subscribe(system.EventStream, observer);
        var supervisor = system.ActorOf(TrainingSupervisor.Props(settings, RunProgressPublisher.For(system, settings.RunId)), $"supervisor-{round}");
        for (var w = 0; w < Workers; w++) system.ActorOf(ScriptedWorker.Props(w, steps, supervisor, clock), $"worker-{round}-{w}");
        var seconds = Wait(done.Task, "the supervisor");
        system.Stop(supervisor);
        return seconds;
    }

    // Seconds from the first report sent to the no-op actor's count of the last one.
    private static double NoOp(ActorSystem system, int round, int steps)
    {
        var clock = new BlastClock();
        var done = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = system.ActorOf(Props.Create(() => new Counter(Workers * steps, clock, done)), $"no-op-{round}");
        var workers = Enumerable.Range(0, Workers).Select(w => system.ActorOf(ScriptedWorker.Props(w, steps, ActorRefs.Nobody, clock), $"no-op-worker-{round}-{w}")).ToList();
        foreach (var w in workers) w.Tell(new ScriptedWorker.Blast(target));
        return Wait(done.Task, "the no-op actor");
    }

    private static double Wait(Task<double> task, string what) =>
        task.Wait(TimeSpan.FromMinutes(5)) ? task.Result : throw new TimeoutException($"B4: {what} did not handle every report within 5 minutes");

    private sealed class LastStepObserver : ReceiveActor
    {
        public LastStepObserver(int lastStep, BlastClock clock, TaskCompletionSource<double> done)
        {
            Receive<RunProgress.StepsReported>(p => p.LastStep == lastStep, _ => done.TrySetResult(clock.Seconds));
            ReceiveAny(_ => { });
        }
    }

    private sealed class Counter : ReceiveActor
    {
        private int _count;

        public Counter(int expected, BlastClock clock, TaskCompletionSource<double> done) =>
            Receive<WorkerReports.BatchTrained>(_ =>
            {
                if (++_count == expected) done.TrySetResult(clock.Seconds);
            });
    }
}
