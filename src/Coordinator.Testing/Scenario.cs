using System.Collections.Immutable;
using Akka.Configuration;
using Coordinator.Actors.Supervision;
using Coordinator.Actors.Workers;
using Coordinator.Callbacks;
using Coordinator.Configuration;
using Coordinator.Core;
using Coordinator.Core.Metrics;
using Coordinator.Testing.Results;
using Coordinator.Testing.Scripts;
using Coordinator.Testing.Simulation;
using Xunit.Abstractions;

namespace Coordinator.Testing;

/// <summary>
/// A training run to simulate: callbacks, metrics the workers report, how many workers, and what goes
/// wrong on the way. <see cref="Run"/> starts the real supervisor with simulated workers on an in-memory
/// journal and checkpoint store, runs the whole training under virtual time and returns what was decided.
/// Immutable: every method returns a new scenario, so variants of one scenario read side by side.
/// Workers are named worker-0, worker-1, ... (joiners after them); epochs and batches count from 0.
/// </summary>
public sealed record Scenario
{
    private Scenario(IReadOnlyList<CallbackSettings> callbacks) => CallbackList = callbacks;

    internal IReadOnlyList<CallbackSettings> CallbackList { get; init; }
    internal MetricScript? Script { get; init; }
    internal ImmutableList<MetricDefinition>? Declared { get; init; }
    internal int WorkerCount { get; init; } = 2;
    internal int? EpochCount { get; init; }
    internal int Steps { get; init; } = 1;
    internal double LearningRate { get; init; } = 0.01;
    internal TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
    internal int? Min { get; init; }
    internal int? Max { get; init; }
    internal int Restarts { get; init; }
    internal int Snapshots { get; init; } = 100;
    internal int Lag { get; init; }
    internal ImmutableList<WorkerFault> Faults { get; init; } = [];
    internal ImmutableList<int> JoinEpochs { get; init; } = [];
    internal int? RestartAfter { get; init; }
    internal (int FromEpoch, bool ThenResume)? JournalFault { get; init; }
    internal ImmutableList<(int Epoch, int Worker)> Corrupted { get; init; } = [];
    internal ITestOutputHelper? Output { get; init; }
    internal TimeSpan Stall { get; init; } = TimeSpan.FromSeconds(30);

    // ---- What the run is.

    public static Scenario WithCallbacks(params CallbackSettings[] callbacks) => new(callbacks);

    /// <summary>Callbacks as users write them in a run configuration: <c>callbacks = [ { type = ..., ... } ]</c>.</summary>
    public static Scenario WithCallbacks(string hocon) => new(CallbackConfigReader.Read(ConfigurationFactory.ParseString(hocon)));

    /// <summary>The <c>callbacks</c> list of a configuration file (a callbacks file for <c>simulate</c>, or a run
    /// configuration), read as <c>simulate</c> reads it: a misspelled top-level key (<c>callback = [...]</c>) is an error.</summary>
    public static Scenario WithCallbacksFromFile(string path) => new(global::Coordinator.Simulation.SimulationConfigReader.ReadFile(path).Callbacks);

    /// <summary>What the workers report; the run has as many epochs as the script unless <see cref="Epochs"/> says fewer.</summary>
    public Scenario Metrics(MetricScript script) => this with { Script = script };

    /// <summary>Metrics from CSV files as <c>coordinator simulate</c> reads them (see <see cref="MetricScript.FromCsv"/>).</summary>
    public Scenario Metrics(string epochsCsv, string? batchesCsv = null) => Metrics(MetricScript.FromCsv(epochsCsv, batchesCsv));

    /// <summary>The metrics the workers' model declares, with their directions (as a replica factory does), so
    /// that <c>mode = auto</c> judges them; without it, Keras's own metric names stand in.</summary>
    public Scenario DeclareMetrics(params MetricDefinition[] metrics) => this with { Declared = [.. metrics] };

    /// <summary>Workers at the start (default 2).</summary>
    public Scenario Workers(int count) => this with { WorkerCount = Positive(count, nameof(count)) };

    public Scenario Epochs(int count) => this with { EpochCount = Positive(count, nameof(count)) };

    /// <summary>Batches per epoch for epochs the script gives no batch losses (default 1).</summary>
    public Scenario StepsPerEpoch(int count) => this with { Steps = Positive(count, nameof(count)) };

    public Scenario InitialLearningRate(double rate) => this with { LearningRate = rate };

    /// <summary>How long (virtual time) the supervisor waits for an epoch's reports, and for the first workers (default 5 minutes).</summary>
    public Scenario EpochTimeout(TimeSpan timeout) => this with { Timeout = timeout };

    public Scenario MinWorkers(int count) => this with { Min = Positive(count, nameof(count)) };

    /// <summary>Default: the workers at the start plus the joiners.</summary>
    public Scenario MaxWorkers(int count) => this with { Max = Positive(count, nameof(count)) };

    /// <summary>Epoch restarts after lost workers before the run fails (SupervisorSettings.MaxRestarts; default 0).</summary>
    public Scenario MaxRestarts(int count) => this with { Restarts = count };

    public Scenario SnapshotEvery(int events) => this with { Snapshots = Positive(events, nameof(events)) };

    /// <summary>Steps workers still train after the supervisor stops an epoch at a batch, as real workers a step or two ahead of it do (default 0).</summary>
    public Scenario StopLag(int steps) => this with { Lag = steps };

    // ---- What goes wrong.

    /// <summary>Worker <paramref name="worker"/> stops (its process dies) at <paramref name="atBatch"/> of <paramref name="atEpoch"/>, before reporting that batch.</summary>
    public Scenario LoseWorker(int worker, int atEpoch, int atBatch = 0) =>
        this with { Faults = Faults.Add(new WorkerFault.Lose(WorkerSetup.ActorName(worker), atEpoch, atBatch, null)) };

    /// <summary>As <see cref="LoseWorker"/>, but the worker first reports that it failed (WorkerFailed), as one whose replica threw does.</summary>
    public Scenario FailWorker(int worker, int atEpoch, string reason, int atBatch = 0) =>
        this with { Faults = Faults.Add(new WorkerFault.Lose(WorkerSetup.ActorName(worker), atEpoch, atBatch, reason)) };

    /// <summary>Worker <paramref name="worker"/> reports <paramref name="atEpoch"/> <paramref name="takes"/> (virtual time) late: past the epoch timeout, the run fails naming it.</summary>
    public Scenario SlowWorker(int worker, int atEpoch, TimeSpan takes) =>
        this with { Faults = Faults.Add(new WorkerFault.Slow(WorkerSetup.ActorName(worker), atEpoch, takes)) };

    /// <summary>Worker <paramref name="worker"/>'s loss is NaN at <paramref name="atBatch"/> of <paramref name="atEpoch"/>.</summary>
    public Scenario NaNLoss(int worker, int atEpoch, int atBatch = 0) =>
        this with { Faults = Faults.Add(new WorkerFault.NaNLoss(WorkerSetup.ActorName(worker), atEpoch, atBatch)) };

    /// <summary>A new worker registers while <paramref name="registersAtEpoch"/> trains; it joins at the next epoch.</summary>
    public Scenario JoinWorker(int registersAtEpoch) => this with { JoinEpochs = JoinEpochs.Add(registersAtEpoch) };

    /// <summary>The supervisor is stopped once <paramref name="afterEpoch"/>'s decisions are stored (while the next epoch
    /// trains), and a new one with the same journal and store takes over; the workers register with it again.</summary>
    public Scenario RestartSupervisor(int afterEpoch) => this with { RestartAfter = afterEpoch };

    /// <summary>The journal cannot be written from <paramref name="fromEpoch"/>'s decisions on: the run fails. With
    /// <paramref name="thenResume"/>, writes pass again and a new supervisor resumes the run to its end.</summary>
    public Scenario FailJournalWrites(int fromEpoch, bool thenResume = false) => this with { JournalFault = (fromEpoch, thenResume) };

    /// <summary>The resume state of <paramref name="ofEpoch"/> (worker <paramref name="worker"/>'s file) is altered after it is written.</summary>
    public Scenario CorruptResumeState(int ofEpoch, int worker = 0) => this with { Corrupted = Corrupted.Add((ofEpoch, worker)) };

    // ---- How it runs.

    /// <summary>Akka's warnings and errors go to the test's output.</summary>
    public Scenario WithOutput(ITestOutputHelper output) => this with { Output = output };

    /// <summary>Real time after which a run that makes no progress is reported as stuck (default 30 s; never reached by a run that ends).</summary>
    public Scenario StallTimeout(TimeSpan timeout) => this with { Stall = timeout };

    /// <summary>Runs the training to its end and returns what the supervisor decided.</summary>
    public ScenarioResult Run()
    {
        using var runner = new ScenarioRunner(Plan());
        return runner.Run();
    }

    internal ScenarioPlan Plan()
    {
        var script = Script ?? throw new InvalidOperationException("the scenario has no metrics: call Metrics(...)");
        var epochs = EpochCount ?? script.Epochs.Count;
        if (epochs > script.Epochs.Count)
            throw new ArgumentException($"the scenario runs {epochs} epochs but the metric script has {script.Epochs.Count}");
        var names = Enumerable.Range(0, WorkerCount + JoinEpochs.Count).Select(WorkerSetup.ActorName).ToList();
        foreach (var f in Faults)
        {
            if (!names.Contains(f.Worker)) throw new ArgumentException($"{f}: there is no {f.Worker} (workers {string.Join(", ", names)})");
            if (f.Epoch < 0 || f.Epoch >= epochs) throw new ArgumentException($"{f}: epoch {f.Epoch} is not one of the run's epochs 0 to {epochs - 1}");
            var batches = script.BatchLosses(f.Epoch, Steps).Count;
            var batch = f switch { WorkerFault.Lose l => l.Batch, WorkerFault.NaNLoss n => n.Batch, _ => 0 };
            if (batch < 0 || batch >= batches)
                throw new ArgumentException($"{f}: epoch {f.Epoch} has batches 0 to {batches - 1}");
        }
        foreach (var e in JoinEpochs.Concat(RestartAfter is { } after ? [after] : []))
            if (e < 0 || e >= epochs - 1)
                throw new ArgumentException($"a worker can join, and the supervisor restart, only after an epoch before the last (0 to {epochs - 2}); got {e}");

        var runId = "scenario";
        var settings = new SupervisorSettings(runId, Path.Combine(Path.GetTempPath(), "coordinator-scenario", runId), WorkerCount, epochs, Steps,
            CallbackList, LearningRate, "gradients", 0, "scenario", Timeout, Snapshots)
        {
            Membership = new MembershipLimits(Min ?? WorkerCount, Max ?? WorkerCount + JoinEpochs.Count, Restarts),
            Metrics = Declared,
        };
        var holds = JoinEpochs.Concat(RestartAfter is { } r ? [r + 1] : []).ToHashSet();
        var workers = names.Select((name, i) => new WorkerScript(name, script, Steps, Faults, holds, Lag, Joiner: i >= WorkerCount)).ToList();
        var corrupt = Corrupted.Select(c => settings.ResumeStatePath(c.Epoch, c.Worker)).ToHashSet();
        return new ScenarioPlan(settings, workers, JoinEpochs, RestartAfter, JournalFault, corrupt, Output, Stall);
    }

    private static int Positive(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, name);
        return value;
    }
}

/// <summary>A scenario checked and laid out for the runner.</summary>
internal sealed record ScenarioPlan(
    SupervisorSettings Settings, IReadOnlyList<WorkerScript> Workers, IReadOnlyList<int> JoinEpochs, int? RestartAfter,
    (int FromEpoch, bool ThenResume)? JournalFault, IReadOnlySet<string> CorruptedFiles, ITestOutputHelper? Output, TimeSpan Stall);
