using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks.Tests.TestSupport;

/// <summary>What happened in one epoch: its start, its batches, its end (null when the run aborted in it).</summary>
public sealed record EpochOutcome(int Epoch, EpochStarted Started, IReadOnlyList<BatchEnded> Batches, EpochEnded? Ended)
{
    /// <summary>Every decision of the epoch, in order: epoch begin, each batch, epoch end.</summary>
    public IReadOnlyList<CallbackDecision> Decisions =>
        [.. Started.Decisions, .. Batches.SelectMany(b => b.Decisions), .. Ended?.Decisions ?? []];

    /// <summary>The rate the epoch trained with.</summary>
    public double LearningRate => Started.LearningRate;

    /// <summary>The rate after the epoch-end callbacks (ReduceLROnPlateau).</summary>
    public double LearningRateAfter => Ended?.LearningRateAfter ?? Started.LearningRate;

    public bool StopTraining => Ended?.StopTraining ?? Batches.Any(b => b.StopTraining);

    public IEnumerable<T> Of<T>() where T : CallbackDecision => Decisions.OfType<T>();
}

/// <summary>A whole run as the callbacks saw it.</summary>
public sealed record RunResult(
    IReadOnlyList<CallbackDecision> TrainBeginDecisions,
    IReadOnlyList<EpochOutcome> Epochs,
    TrainEnded? TrainEnded,
    CallbackEngine Engine)
{
    /// <summary>How many epochs ran (Keras's <c>len(history.epoch)</c>).</summary>
    public int EpochsRun => Epochs.Count;

    public bool Aborted => Engine.Aborted;

    /// <summary>The rate when the run ended.</summary>
    public double FinalLearningRate => Engine.LearningRate;

    /// <summary>Every decision of the run, in order, train end included.</summary>
    public IReadOnlyList<CallbackDecision> Decisions =>
        [.. TrainBeginDecisions, .. Epochs.SelectMany(e => e.Decisions), .. TrainEnded?.Decisions ?? []];

    public IEnumerable<T> All<T>() where T : CallbackDecision => Decisions.OfType<T>();

    /// <summary>The 0-based epoch after which training stopped, if it did.</summary>
    public int? StoppedAfterEpoch => Epochs.LastOrDefault(e => e.StopTraining)?.Epoch;
}

/// <summary>
/// Drives a <see cref="CallbackEngine"/> the way Keras's <c>fit</c> loop drives its callbacks:
/// on_train_begin; per epoch on_epoch_begin, on_train_batch_end for each batch (leaving the
/// epoch's batches once stop_training is set), on_epoch_end, and out of the loop once
/// stop_training is set; on_train_end. An abort (TerminateOnNaN raise_error, Keras's
/// RuntimeError) ends the run at once: no epoch end, no train end.
/// </summary>
public static class Runner
{
    public static CallbackEngine Engine(double initialLr, params CallbackSettings[] settings) =>
        new(settings, new RunInfo(initialLr));

    public static RunResult Run(IEnumerable<CallbackSettings> settings, IEnumerable<EpochInput> epochs,
        double initialLr = 0.01, int workers = 1) =>
        RunResumed(settings, epochs, _ => false, initialLr, workers);

    public static RunResult Run(CallbackSettings settings, IEnumerable<EpochInput> epochs, double initialLr = 0.01) =>
        Run([settings], epochs, initialLr);

    /// <summary>
    /// As <see cref="Run(IEnumerable{CallbackSettings}, IEnumerable{EpochInput}, double, int)"/>, but after
    /// each epoch for which <paramref name="resumeAfter"/> holds, the engine's state goes through JSON into a
    /// new engine built from the same settings, which carries on (as a restarted supervisor would).
    /// </summary>
    public static RunResult RunResumed(IEnumerable<CallbackSettings> settings, IEnumerable<EpochInput> epochs,
        Func<int, bool> resumeAfter, double initialLr = 0.01, int workers = 1)
    {
        var configured = settings.ToList();
        var run = new RunInfo(initialLr, workers);
        var engine = new CallbackEngine(configured, run);
        var begin = engine.TrainBegin();
        var outcomes = new List<EpochOutcome>();
        var epoch = 0;
        foreach (var input in epochs)
        {
            var started = engine.BeginEpoch(epoch);
            var batches = new List<BatchEnded>();
            for (var b = 0; b < input.Batches.Count; b++)
            {
                var ended = engine.EndBatch(b, input.Batches[b]);
                batches.Add(ended);
                if (ended.Aborted)
                {
                    outcomes.Add(new EpochOutcome(epoch, started, batches, null));
                    return new RunResult(begin, outcomes, null, engine);
                }
                if (ended.StopTraining) break;
            }
            var end = engine.EndEpoch(input.Logs);
            outcomes.Add(new EpochOutcome(epoch, started, batches, end));
            if (end.StopTraining) break;
            if (resumeAfter(epoch)) engine = Resume(engine, configured, run);
            epoch++;
        }
        if (outcomes.Count > 0 && outcomes[^1].StopTraining && resumeAfter(outcomes[^1].Epoch))
            engine = Resume(engine, configured, run); // a supervisor restarted just before on_train_end
        return new RunResult(begin, outcomes, engine.EndTrain(), engine);
    }

    /// <summary>Saves the engine's state as JSON and restores it into a new engine built from the same settings.</summary>
    public static CallbackEngine Resume(CallbackEngine engine, IReadOnlyList<CallbackSettings> settings, RunInfo run)
    {
        var json = CallbackJsonContext.Serialize(engine.SaveState());
        var next = new CallbackEngine(settings, run);
        next.RestoreState(CallbackJsonContext.Deserialize(json));
        return next;
    }
}
