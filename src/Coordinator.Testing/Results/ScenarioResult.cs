using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Testing.Results;

/// <summary>
/// What a scenario's run decided, read back from its journal: the rate of every epoch, rate changes,
/// checkpoints, where and why it stopped, whose weights were restored and kept, how membership changed;
/// and what the workers were told. <see cref="Decisions"/> is the callbacks' part as comparable lines
/// (no wall-clock times, no membership), for comparing two runs. Assertions: <see cref="ScenarioAssertions"/>.
/// </summary>
public sealed class ScenarioResult
{
    private IReadOnlyList<string>? _decisions;

    internal ScenarioResult() { }

    public RunStatus Status { get; internal init; }

    /// <summary>Why the run failed (null unless it did).</summary>
    public string? Error { get; internal init; }

    /// <summary>The summary the supervisor reported at the end, as <c>summary.json</c> holds it.</summary>
    public RunSummary Summary { get; internal init; } = null!;

    /// <summary>Every epoch trained, in order (an epoch trained again after a rewind appears once).</summary>
    public IReadOnlyList<EpochOutcome> Epochs { get; internal init; } = [];

    public IReadOnlyList<RateChange> RateChanges { get; internal init; } = [];

    public IReadOnlyList<SavedCheckpoint> Checkpoints { get; internal init; } = [];

    public StopOutcome? Stop { get; internal init; }

    /// <summary>The epoch whose weights EarlyStopping put back at the end, if it did.</summary>
    public int? RestoredWeightsEpoch { get; internal init; }

    /// <summary>The epoch whose weights the final model holds (read from the stored file).</summary>
    public int? FinalWeightsEpoch { get; internal init; }

    /// <summary>Metrics of the model kept (the workers evaluate it as its epoch logged).</summary>
    public FinalMetrics? Final { get; internal init; }

    public IReadOnlyList<WorkerLost> LostWorkers { get; internal init; } = [];
    public IReadOnlyList<WorkerJoined> Joins { get; internal init; } = [];
    public IReadOnlyList<EpochRestarted> Restarts { get; internal init; } = [];
    public IReadOnlyList<RunResumed> Resumes { get; internal init; } = [];
    public IReadOnlyList<RunRewound> Rewinds { get; internal init; } = [];
    public IReadOnlyList<CheckpointCorrupted> Corruptions { get; internal init; } = [];

    /// <summary>Warnings the supervisor reported (callback warnings, lost workers, replicas that differ).</summary>
    public IReadOnlyList<string> Warnings { get; internal init; } = [];

    public IReadOnlyList<string> Notes { get; internal init; } = [];

    /// <summary>What the scenario made happen, in order ("worker-2 lost at epoch 5, batch 0", ...).</summary>
    public IReadOnlyList<string> Faults { get; internal init; } = [];

    /// <summary>What each simulated worker was told and did.</summary>
    public IReadOnlyList<WorkerActivity> Activity { get; internal init; } = [];

    /// <summary>Every event in the journal, in order (also those of epochs a rewind superseded).</summary>
    public IReadOnlyList<IRunEvent> Events { get; internal init; } = [];

    /// <summary>Everything the supervisor published (RunProgress messages), in order.</summary>
    public IReadOnlyList<object> Progress { get; internal init; } = [];

    /// <summary>The callbacks' decisions as lines, one per fact, numbers exact; equal lists mean equal decisions.</summary>
    public IReadOnlyList<string> Decisions => _decisions ??= ScenarioResults.DecisionLines(this);

    /// <summary>Supervisors that ran (more than 1 after a restart or a resume).</summary>
    public int Supervisors { get; internal init; }

    /// <summary>Virtual time the run took (epoch timeouts and slow workers move it; nothing else does).</summary>
    public TimeSpan VirtualTime { get; internal init; }

    /// <summary>Real time the scenario took, actor system included.</summary>
    public TimeSpan WallTime { get; internal init; }

    /// <summary>The rate <paramref name="epoch"/> trained with.</summary>
    public double RateAt(int epoch) =>
        Epochs.FirstOrDefault(e => e.Epoch == epoch)?.LearningRate
        ?? throw new ArgumentOutOfRangeException(nameof(epoch), $"the run has no epoch {epoch} (it ran {Epochs.Count})");

    /// <summary>What the workers did, of one worker.</summary>
    public IReadOnlyList<WorkerActivity> ActivityOf(string worker) => Activity.Where(a => a.Worker == worker).ToList();

    public override string ToString() =>
        string.Join("\n", new[] { $"{Status}{(Error is null ? "" : ": " + Error)} after {Epochs.Count} epoch(s), {Supervisors} supervisor(s)" }
            .Concat(Faults.Select(f => "fault: " + f))
            .Concat(LostWorkers.Select(l => $"epoch {l.Epoch}: {l.Worker} lost ({l.Reason}), {l.Workers} left"))
            .Concat(Restarts.Select(r => $"epoch {r.Epoch}: restarted with {r.Workers} workers (restart {r.Restart} of {r.MaxRestarts})"))
            .Concat(Joins.Select(j => $"epoch {j.Epoch}: {j.Worker} joined, {j.Workers} workers"))
            .Concat(Decisions));
}
