using System.Globalization;
using Coordinator.Actors.Supervision;
using Coordinator.Core.Reporting;

namespace Coordinator.Testing.Results;

/// <summary>
/// Assertions on a scenario's result that read as the sentence they check, and that say what happened
/// instead when they fail. Each returns the result, so they chain. Epochs count from 0 (as in history.csv);
/// rates compare to the precision of the float32 the optimizer holds them in (0.002 matches 0.001999999862164259,
/// which is 0.01 x 0.2 in float32).
/// </summary>
public static class ScenarioAssertions
{
    /// <summary>Every epoch from <paramref name="fromEpoch"/> (to <paramref name="untilEpoch"/>, or the last) trained at <paramref name="rate"/>.</summary>
    public static ScenarioResult AssertRate(this ScenarioResult result, double rate, int fromEpoch, int? untilEpoch = null)
    {
        var last = untilEpoch ?? result.Epochs.LastOrDefault()?.Epoch ?? -1;
        var span = untilEpoch is null ? $"from epoch {fromEpoch}" : $"from epoch {fromEpoch} to {untilEpoch}";
        var epochs = result.Epochs.Where(e => e.Epoch >= fromEpoch && e.Epoch <= last).ToList();
        if (epochs.Count == 0 || epochs[^1].Epoch < last || fromEpoch > last)
            Fail($"expected the rate {Rate(rate)} {span}, but the run has epochs 0 to {result.Epochs.Count - 1} only; {RateStory(result)}");
        if (epochs.Any(e => !SameRate(e.LearningRate, rate)))
            Fail($"expected the rate {Rate(rate)} {span}, but {RateStory(result)}");
        return result;
    }

    /// <summary>The rate changed at exactly these epochs (by a schedule at their start or a plateau at their end).</summary>
    public static ScenarioResult AssertRateChangedAt(this ScenarioResult result, params int[] epochs)
    {
        var actual = result.RateChanges.Select(c => c.Epoch).ToList();
        if (!actual.SequenceEqual(epochs))
            Fail($"expected the rate to change at {Epochs(epochs)}, but " +
                 (actual.Count == 0 ? "it never changed" : "it changed " + string.Join(", ", result.RateChanges.Select(c =>
                     $"at epoch {c.Epoch} ({Rate(c.From)} -> {Rate(c.To)}, {c.Reason})"))));
        return result;
    }

    /// <summary>Training stopped at the end of (or at a batch of) <paramref name="atEpoch"/>, by <paramref name="by"/> if given
    /// (a callback type such as early-stopping or terminate-on-nan, as configured).</summary>
    public static ScenarioResult AssertStopped(this ScenarioResult result, int atEpoch, string? by = null)
    {
        var what = $"expected the run to stop at epoch {atEpoch}{(by is null ? "" : $" by {by}")}, but ";
        if (result.Stop is not { } stop)
            Fail(what + $"nothing stopped it: it ran {result.Epochs.Count} epoch(s) and {Ended(result)}");
        else if (stop.Epoch != atEpoch || by is not null && stop.Source != by && !stop.Source.StartsWith(by + "#", StringComparison.Ordinal))
            Fail(what + $"it stopped at epoch {stop.Epoch}{(stop.Batch is { } b ? $", batch {b}," : "")} by {stop.Source}: {stop.Reason}");
        return result;
    }

    /// <summary>No callback stopped training: every epoch ran.</summary>
    public static ScenarioResult AssertNotStopped(this ScenarioResult result)
    {
        if (result.Stop is { } stop)
            Fail($"expected the run not to be stopped, but it stopped at epoch {stop.Epoch} by {stop.Source}: {stop.Reason}");
        return result;
    }

    /// <summary>ModelCheckpoint saved a checkpoint at exactly these epochs (regular saves, in order; later deletions do not matter).</summary>
    public static ScenarioResult AssertCheckpointsAt(this ScenarioResult result, params int[] epochs)
    {
        var actual = result.Checkpoints.Where(c => c.Kind == "regular").Select(c => c.Epoch).ToList();
        if (!actual.SequenceEqual(epochs))
            Fail($"expected checkpoints at {Epochs(epochs)}, but " + (actual.Count == 0 ? "none was saved" : $"they were saved at {Epochs(actual)}"));
        return result;
    }

    /// <summary>EarlyStopping put back the weights of <paramref name="fromEpoch"/>, and the final model holds them.</summary>
    public static ScenarioResult AssertBestWeightsRestored(this ScenarioResult result, int fromEpoch)
    {
        var what = $"expected the best weights, of epoch {fromEpoch}, to be restored, but ";
        if (result.RestoredWeightsEpoch is not { } restored)
            Fail(what + "none were restored" + (result.Stop is null ? $" (the run {Ended(result)} without being stopped)" : ""));
        else if (restored != fromEpoch)
            Fail(what + $"those of epoch {restored} were");
        else if (result.FinalWeightsEpoch != fromEpoch)
            Fail(what + $"the final model holds the weights of epoch {result.FinalWeightsEpoch?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}");
        return result;
    }

    public static ScenarioResult AssertCompleted(this ScenarioResult result) => AssertStatus(result, RunStatus.Completed);

    /// <summary>The run ended as <paramref name="status"/> (completed: every epoch; stopped: by a callback; failed).</summary>
    public static ScenarioResult AssertStatus(this ScenarioResult result, RunStatus status)
    {
        if (result.Status != status) Fail($"expected the run to end {status.Name()}, but it {Ended(result)}");
        return result;
    }

    /// <summary>The run failed, and its reason contains <paramref name="reason"/>.</summary>
    public static ScenarioResult AssertFailed(this ScenarioResult result, string reason)
    {
        if (result.Status != RunStatus.Failed || result.Error?.Contains(reason, StringComparison.Ordinal) != true)
            Fail($"expected the run to fail because of \"{reason}\", but it {Ended(result)}");
        return result;
    }

    /// <summary>Both runs decided the same: every epoch's rate and logs, rate changes, checkpoints, the stop, the restore, the end.</summary>
    public static ScenarioResult AssertSameDecisionsAs(this ScenarioResult result, ScenarioResult expected)
    {
        var (a, e) = (result.Decisions, expected.Decisions);
        var i = 0;
        while (i < a.Count && i < e.Count && a[i] == e[i]) i++;
        if (i == a.Count && i == e.Count) return result;
        Fail("expected the same decisions as the other run, but they differ" +
             (i > 0 ? $" after:\n    {a[i - 1]}\n" : ":\n") +
             $"  this run:  {(i < a.Count ? a[i] : "(nothing more)")}\n  the other: {(i < e.Count ? e[i] : "(nothing more)")}");
        return result;
    }

    /// <summary><paramref name="worker"/> was lost during <paramref name="atEpoch"/>.</summary>
    public static ScenarioResult AssertWorkerLost(this ScenarioResult result, string worker, int atEpoch)
    {
        if (!result.LostWorkers.Any(l => l.Worker == worker && l.Epoch == atEpoch))
            Fail($"expected {worker} to be lost at epoch {atEpoch}, but " + (result.LostWorkers.Count == 0
                ? "no worker was lost"
                : string.Join("; ", result.LostWorkers.Select(l => $"{l.Worker} was lost at epoch {l.Epoch} ({l.Reason})"))));
        return result;
    }

    /// <summary>The epochs restarted after lost workers, each as restart n of max-restarts.</summary>
    public static ScenarioResult AssertEpochsRestarted(this ScenarioResult result, params int[] epochs)
    {
        var actual = result.Restarts.Select(r => r.Epoch).ToList();
        if (!actual.SequenceEqual(epochs))
            Fail($"expected epoch restarts at {Epochs(epochs)}, but " + (actual.Count == 0 ? "no epoch was restarted" : string.Join(", ",
                result.Restarts.Select(r => $"epoch {r.Epoch} was restarted (restart {r.Restart} of {r.MaxRestarts})"))));
        return result;
    }

    /// <summary><paramref name="worker"/> took part from <paramref name="fromEpoch"/> on.</summary>
    public static ScenarioResult AssertWorkerJoined(this ScenarioResult result, string worker, int fromEpoch)
    {
        if (!result.Joins.Any(j => j.Worker == worker && j.Epoch == fromEpoch))
            Fail($"expected {worker} to join at epoch {fromEpoch}, but " + (result.Joins.Count == 0
                ? "no worker joined"
                : string.Join("; ", result.Joins.Select(j => $"{j.Worker} joined at epoch {j.Epoch}"))));
        return result;
    }

    /// <summary>Every worker started every epoch holding the training of the epoch before (after losses, joins, restarts
    /// and resumes, the supervisor brought each to the right state), and the supervisor never found replicas that differ.</summary>
    public static ScenarioResult AssertReplicasConsistent(this ScenarioResult result)
    {
        var wrong = result.Activity.OfType<WorkerActivity.Started>().Where(s => s.FromEpoch != s.Epoch - 1)
            .Select(s => $"{s.Worker} started epoch {s.Epoch} holding the training of epoch {s.FromEpoch}")
            .Concat(result.Warnings.Where(w => w.Contains("replicas differ", StringComparison.Ordinal))).ToList();
        if (wrong.Count > 0) Fail("expected consistent replicas, but:\n  " + string.Join("\n  ", wrong));
        return result;
    }

    /// <summary>Equal to float32 precision: a rate written as a decimal matches the float32 a chain of callbacks computed.</summary>
    private static bool SameRate(double a, double b) => Math.Abs(a - b) <= 1e-6 * Math.Max(Math.Abs(a), Math.Abs(b));

    private static void Fail(string message) => throw new ScenarioAssertionException(message);

    /// <summary>"it was 0.01 until epoch 13, then 0.002 from epoch 14".</summary>
    internal static string RateStory(ScenarioResult result)
    {
        if (result.Epochs.Count == 0) return "no epoch ran";
        var parts = new List<string>();
        var runs = new List<(int From, int To, double Rate)>();
        foreach (var e in result.Epochs)
            if (runs.Count > 0 && SameRate(runs[^1].Rate, e.LearningRate)) runs[^1] = runs[^1] with { To = e.Epoch };
            else runs.Add((e.Epoch, e.Epoch, e.LearningRate));
        for (var i = 0; i < runs.Count; i++)
        {
            var (from, to, rate) = runs[i];
            var when = runs.Count == 1 ? "at every epoch"
                : from == to ? $"at epoch {from}"
                : i == 0 ? $"until epoch {to}"
                : i == runs.Count - 1 ? $"from epoch {from}"
                : $"from epoch {from} to {to}";
            parts.Add($"{Rate(rate)} {when}");
        }
        return "it was " + string.Join(", then ", parts);
    }

    private static string Ended(ScenarioResult r) => r.Status switch
    {
        RunStatus.Completed => $"completed all {r.Epochs.Count} epochs",
        RunStatus.Stopped => r.Stop is { } s ? $"was stopped at epoch {s.Epoch} by {s.Source}: {s.Reason}" : "was stopped",
        _ => $"failed: {r.Error}",
    };

    private static string Rate(double rate) => Actors.Progress.ProgressText.Rate(rate);

    private static string Epochs(IReadOnlyList<int> epochs) => epochs.Count switch
    {
        0 => "no epoch",
        1 => $"epoch {epochs[0]}",
        _ => $"epochs {string.Join(", ", epochs.Take(epochs.Count - 1))} and {epochs[^1]}",
    };
}
