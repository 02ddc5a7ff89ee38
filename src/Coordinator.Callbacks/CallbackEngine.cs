using Coordinator.Callbacks.Monitoring;
using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks;

/// <summary>
/// Runs the configured callbacks in order through Keras's hooks (Keras's <c>CallbackList</c>)
/// and hands back what they decided. One engine serves one training run; its state can be
/// saved after any epoch and restored into a new engine built from the same settings. It also
/// warns when a callback compared a monitored value that is not finite (Keras does not).
/// </summary>
public sealed class CallbackEngine
{
    private readonly TrainingContext _context;
    private bool _begun;
    private int? _epoch;
    private double _epochLearningRate;
    private readonly NonFiniteMonitorWarnings _nonFinite = new();

    public CallbackEngine(IEnumerable<CallbackSettings> settings, RunInfo run)
    {
        _context = new TrainingContext(run.InitialLearningRate);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var callbacks = new List<TrainingCallback>();
        foreach (var s in settings)
        {
            var n = seen[s.Type] = seen.GetValueOrDefault(s.Type) + 1;
            callbacks.Add(s.Create(n == 1 ? s.Type : $"{s.Type}#{n}", run));
        }
        Callbacks = callbacks;
    }

    public IReadOnlyList<TrainingCallback> Callbacks { get; }

    /// <summary>The optimizer's rate now (float32-rounded, as Keras holds it).</summary>
    public double LearningRate => _context.LearningRate;

    public bool StopTraining => _context.StopTraining;

    public bool Aborted => _context.Aborted;

    public StopReason? StopReason => _context.StopReason;

    /// <summary>The last epoch that began, if any.</summary>
    public int? CurrentEpoch => _epoch;

    public IReadOnlyList<CallbackDecision> TrainBegin()
    {
        foreach (var c in Callbacks) c.OnTrainBegin(_context);
        _begun = true;
        return _context.TakeDecisions();
    }

    public EpochStarted BeginEpoch(int epoch)
    {
        if (!_begun) TrainBegin();
        _epoch = epoch;
        foreach (var c in Callbacks) c.OnEpochBegin(epoch, _context);
        _epochLearningRate = _context.LearningRate;
        return new EpochStarted(epoch, _epochLearningRate, _context.TakeDecisions());
    }

    public BatchEnded EndBatch(int batch, MetricLogs logs)
    {
        var epoch = RequireEpoch();
        var before = NonFiniteMonitorWarnings.Before(Callbacks);
        foreach (var c in Callbacks)
        {
            if (_context.Aborted) break;
            c.OnTrainBatchEnd(epoch, batch, logs, _context);
        }
        foreach (var w in _nonFinite.After(Callbacks, before, epoch, batch, logs)) _context.Emit(w);
        return new BatchEnded(epoch, batch, _context.StopTraining, _context.Aborted, _context.TakeDecisions());
    }

    public EpochEnded EndEpoch(MetricLogs logs)
    {
        var epoch = RequireEpoch();
        var after = logs.Copy();
        var before = NonFiniteMonitorWarnings.Before(Callbacks);
        if (!_context.Aborted)
        {
            foreach (var c in Callbacks) c.OnEpochEnd(epoch, after, _context);
            foreach (var w in _nonFinite.After(Callbacks, before, epoch, null, after)) _context.Emit(w);
        }
        if (!after.ContainsKey("learning_rate")) after["learning_rate"] = _epochLearningRate;
        return new EpochEnded(epoch, _epochLearningRate, _context.LearningRate, _context.StopTraining,
            _context.StopReason, after, _context.TakeDecisions());
    }

    public TrainEnded EndTrain()
    {
        if (!_context.Aborted)
            foreach (var c in Callbacks) c.OnTrainEnd(_context);
        var decisions = _context.TakeDecisions();
        var restored = decisions.OfType<BestWeightsRestored>().Select(d => (int?)d.Epoch).FirstOrDefault();
        return new TrainEnded(restored, decisions);
    }

    public EngineState SaveState() =>
        new(_context.LearningRate, _context.StopTraining, _context.StopReason, _epoch, Callbacks.Select(c => c.SaveState()).ToArray());

    /// <summary>Continues a run from a saved state (no <c>on_train_begin</c> again: the run goes on).</summary>
    public void RestoreState(EngineState state)
    {
        if (state.Callbacks.Count != Callbacks.Count)
            throw new ArgumentException(
                $"the saved state holds {state.Callbacks.Count} callbacks but the configuration has {Callbacks.Count}; " +
                "a run must be resumed with the callback configuration it started with", nameof(state));
        for (var i = 0; i < Callbacks.Count; i++) Callbacks[i].RestoreState(state.Callbacks[i]);
        _context.Restore(state.LearningRate, state.StopTraining, state.StopReason);
        _epoch = state.LastEpoch;
        _begun = true;
    }

    private int RequireEpoch() =>
        _epoch ?? throw new InvalidOperationException("no epoch has begun: call BeginEpoch first");
}
