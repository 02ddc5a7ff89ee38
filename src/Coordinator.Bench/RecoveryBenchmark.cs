using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence;
using Coordinator.Actors.Progress;
using Coordinator.Actors.Protocol;
using Coordinator.Actors.State;
using Coordinator.Actors.Supervision;
using Coordinator.Callbacks;
using Coordinator.Callbacks.State;
using Coordinator.Cli.Hosting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Cli.Bench;

/// <summary>
/// B6: how long a supervisor takes to recover its state from a journal of 10,000 events with
/// snapshots, against one of 100 events, measured side by side (A, B, A, B, ...) on SQLite
/// journals written beforehand with the supervisor's own events and snapshot rule.
/// </summary>
public static class RecoveryBenchmark
{
    public static Comparison Run(int rounds, int largeEvents, string folder, Action<string> log)
    {
        Directory.CreateDirectory(folder);
        var small = Prepare(Path.Combine(folder, "small.db"), 100, log);
        var large = Prepare(Path.Combine(folder, "large.db"), largeEvents, log);
        Measure(small); Measure(large); // warm-up
        var a = new List<double>();
        var b = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            a.Add(Measure(large));
            b.Add(Measure(small));
        }
        return Comparison.Ratio("B6", $"supervisor recovery: {largeEvents} events with snapshots vs 100 events",
            $"{largeEvents} events", "100 events", a, b, "ms", Goal.AtMost(1.5));
    }

    private const string RunId = "bench";

    private static SupervisorSettings Settings(string folder) => new(RunId, folder, 2, 1_000_000, 10,
        [new ReduceLrOnPlateauSettings { Monitor = "val_loss" }, new EarlyStoppingSettings { Patience = 1_000_000 }],
        0.01, "gradients", 1, "sha", TimeSpan.FromMinutes(1), SnapshotEvery: 100);

    // Writes the events a long run would: an epoch's EpochCompleted (with a real callback state) and a
    // resume state, plus a checkpoint now and then (save-top-k = 3); a snapshot of the supervisor's
    // bounded state every 100 events.
    private static string Prepare(string journal, int events, Action<string> log)
    {
        if (File.Exists(journal)) File.Delete(journal);
        var system = ActorSystem.Create("bench-write", AkkaConfig.ForSqlite(journal, null));
        try
        {
            var done = new TaskCompletionSource<bool>();
            system.ActorOf(Props.Create(() => new JournalWriter(Events(events), done)));
            if (!done.Task.Wait(TimeSpan.FromMinutes(5))) throw new TimeoutException($"writing {events} events to {journal} did not finish");
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }
        log($"wrote {events} events to {journal}");
        return journal;
    }

    private static IEnumerable<IRunEvent> Events(int count)
    {
        var engine = new CallbackEngine(Settings("/").Callbacks, new RunInfo(0.01, 2));
        engine.TrainBegin();
        yield return new RunStarted(RunId, 2, "gradients", 1, 1_000_000, 0.01, 4810, "sha", DateTimeOffset.UnixEpoch);
        var written = 1;
        for (var epoch = 0; written < count; epoch++)
        {
            engine.BeginEpoch(epoch);
            var loss = 1.0 / (1 + epoch % 97);
            var ended = engine.EndEpoch(new MetricLogs { ["loss"] = loss, ["accuracy"] = 0.9, ["val_loss"] = loss, ["val_accuracy"] = 0.9 });
            yield return new EpochCompleted(epoch, ended.LearningRate, ended.Logs.ToDictionary(kv => kv.Key, kv => kv.Value), 1.5, 23, 4096,
                CallbackJsonContext.Serialize(engine.SaveState()));
            if (++written >= count) yield break;
            yield return new ResumeStateSaved(epoch, [new StoredFile($"/runs/bench/state/resume-e{epoch:D4}-w0.state", "ab", 1), new StoredFile($"/runs/bench/state/resume-e{epoch:D4}-w1.state", "cd", 1)]);
            if (++written >= count) yield break;
            if (epoch >= 2)
            {
                yield return new ResumeStateDeleted(epoch - 2); // the newest 2 are kept
                if (++written >= count) yield break;
            }
            if (epoch % 5 != 0) continue;
            yield return new CheckpointSaved(epoch, null, $"/runs/bench/checkpoints/ckpt-{epoch}.weights", "ef", 19337, "val_loss", loss, "regular");
            if (++written >= count || epoch < 15) continue;
            // save-top-k = 3: the checkpoint of three saves ago goes.
            yield return new CheckpointDeleted(epoch, $"/runs/bench/checkpoints/ckpt-{epoch - 15}.weights", "save-top-k = 3");
            written++;
        }
    }

    private static double Measure(string journal)
    {
        var system = ActorSystem.Create("bench-read", AkkaConfig.ForSqlite(journal, null));
        try
        {
            // Start the journal first, so that only the supervisor's recovery is timed.
            var warm = new TaskCompletionSource<bool>();
            system.ActorOf(Props.Create(() => new Warmup(warm)));
            if (!warm.Task.Wait(TimeSpan.FromMinutes(1))) throw new TimeoutException($"the journal {journal} did not start");

            var recovered = new TaskCompletionSource<RunProgress.Recovered>();
            var observer = system.ActorOf(Props.Create(() => new RecoveryObserver(recovered)));
            var clock = Stopwatch.StartNew();
            RunProgressSubscription.Subscribe(system.EventStream, observer);
            var settings = Settings(Path.GetDirectoryName(journal)!);
            system.ActorOf(TrainingSupervisor.Props(settings, RunProgressPublisher.For(system, settings.RunId)));
            if (!recovered.Task.Wait(TimeSpan.FromMinutes(5))) throw new TimeoutException($"the supervisor did not recover from {journal}");
            return clock.Elapsed.TotalMilliseconds;
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }
    }

    private sealed class JournalWriter : ReceivePersistentActor
    {
        private RunState _state = RunState.Bounded(3); // as the supervisor keeps it (KeepResumeStates + 1)

        public JournalWriter(IEnumerable<IRunEvent> events, TaskCompletionSource<bool> done)
        {
            var batches = events.Chunk(100).GetEnumerator();
            Recover<object>(_ => { });
            Command<Next>(_ =>
            {
                if (!batches.MoveNext())
                {
                    done.TrySetResult(true);
                    return;
                }
                var batch = batches.Current;
                var remaining = batch.Length;
                PersistAll(batch, e =>
                {
                    _state = _state.Apply(e);
                    if (--remaining == 0) SaveSnapshot(_state);
                });
            });
            // As the supervisor does: keep only the newest snapshot; the next batch waits for that.
            Command<SaveSnapshotSuccess>(ok => DeleteSnapshots(new SnapshotSelectionCriteria(ok.Metadata.SequenceNr - 1)));
            Command<DeleteSnapshotsSuccess>(_ => Self.Tell(Next.Instance));
        }

        public override string PersistenceId => $"run-{RunId}";

        protected override void OnReplaySuccess() => Self.Tell(Next.Instance);

        private sealed class Next
        {
            public static readonly Next Instance = new();
        }
    }

    private sealed class Warmup : ReceivePersistentActor
    {
        public Warmup(TaskCompletionSource<bool> ready)
        {
            Recover<RecoveryCompleted>(_ => ready.TrySetResult(true));
            Recover<object>(_ => { });
        }

        public override string PersistenceId => "bench-warmup";
    }

    private sealed class RecoveryObserver : ReceiveActor
    {
        public RecoveryObserver(TaskCompletionSource<RunProgress.Recovered> recovered) =>
            Receive<RunProgress.Recovered>(r => recovered.TrySetResult(r));
    }
}
