using System.Globalization;
using Coordinator.Callbacks.Monitoring;
using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks;

/// <summary>
/// Keras 3's <c>EarlyStopping</c> (3.16), rule for rule: <c>best</c> starts as <c>None</c> at
/// every train begin, so the first monitored value (from <c>start_from_epoch</c> on) is always the
/// best, even NaN; the baseline does not seed <c>best</c>. The wait counter increments before the
/// improvement test; an improvement resets it only if it also beats the baseline; patience stops
/// only after epoch 0; the best epoch's weights are restored at the end even without a stop. The
/// Lightning extras are checked after Keras's own rule, and only when it did not stop.
/// </summary>
public sealed class EarlyStopping : TrainingCallback
{
    private readonly EarlyStoppingSettings _s;
    private readonly MonitorComparison _cmp;
    private int _wait;
    private int _stoppedEpoch;
    private double? _best;
    private int _bestEpoch;
    private bool _hasBestWeights;

    public EarlyStopping(string name, EarlyStoppingSettings settings, IReadOnlyDictionary<string, Direction?>? declared = null) : base(name)
    {
        if (settings.Patience < 0)
            throw new CallbackConfigurationException(name, "patience", settings.Patience.ToString(CultureInfo.InvariantCulture), "must be 0 or more");
        if (settings.StartFromEpoch < 0)
            throw new CallbackConfigurationException(name, "start-from-epoch", settings.StartFromEpoch.ToString(CultureInfo.InvariantCulture), "must be 0 or more");
        MonitorSettingsCheck.Finite(name, "min-delta", settings.MinDelta);
        MonitorSettingsCheck.Finite(name, "baseline", settings.Baseline);
        MonitorSettingsCheck.Finite(name, "stopping-threshold", settings.StoppingThreshold);
        MonitorSettingsCheck.Finite(name, "divergence-threshold", settings.DivergenceThreshold);
        _s = settings;
        _cmp = new MonitorComparison(MetricDirections.Resolve(name, settings.Monitor, settings.Mode, declared), settings.MinDelta);
    }

    public EarlyStoppingSettings Settings => _s;
    public int Wait => _wait;
    /// <summary>The 0-based epoch at whose end this callback stopped training; 0 if it did not.</summary>
    public int StoppedEpoch => _stoppedEpoch;
    /// <summary>The best monitored value; null (Keras's None) before any was seen.</summary>
    public double? Best => _best;
    public int BestEpoch => _bestEpoch;
    public bool HasBestWeights => _hasBestWeights;

    public override MonitorReading Monitoring => new(_s.Monitor, _cmp.Direction, _best);

    public override bool Compared(int epoch, int? batch) => batch is null && epoch >= _s.StartFromEpoch;

    public override void OnTrainBegin(TrainingContext context)
    {
        _wait = 0;
        _stoppedEpoch = 0;
        _best = null;
        _bestEpoch = 0;
        _hasBestWeights = false;
    }

    public override void OnEpochEnd(int epoch, MetricLogs logs, TrainingContext context)
    {
        if (!logs.TryGetValue(_s.Monitor, out var current))
        {
            context.Emit(new CallbackWarning(Name,
                $"Early stopping conditioned on metric `{_s.Monitor}` which is not available. Available metrics are: {logs.KeyList}"));
            return;
        }
        if (epoch < _s.StartFromEpoch) return;

        if (_s.RestoreBestWeights && !_hasBestWeights)
        {
            // Keras: if best weights were never set, the current weights are the best.
            _hasBestWeights = true;
            _bestEpoch = epoch;
            context.Emit(new BestWeightsMarked(Name, epoch));
        }

        _wait++;
        if (_cmp.IsImprovement(current, _best))
        {
            _best = current;
            _bestEpoch = epoch;
            if (_s.RestoreBestWeights) context.Emit(new BestWeightsMarked(Name, epoch));
            if (_s.Baseline is not { } baseline || _cmp.IsImprovement(current, baseline)) _wait = 0;
        }
        else if (_wait >= _s.Patience && epoch > 0)
        {
            Stop(epoch, context, new StopReason(StopKind.NoImprovement, Name, NoImprovementMessage()));
            return;
        }

        CheckLightningRules(epoch, current, context);
    }

    private void CheckLightningRules(int epoch, double current, TrainingContext context)
    {
        var value = Fmt(current);
        if (_s.CheckFinite && !double.IsFinite(current))
            Stop(epoch, context, new StopReason(StopKind.NonFiniteMonitor, Name,
                $"{_s.Monitor} = {value} is not finite; the best value was {Fmt(_best)}"));
        else if (_s.StoppingThreshold is { } stopAt && _cmp.Better(current, stopAt))
            Stop(epoch, context, new StopReason(StopKind.StoppingThresholdReached, Name,
                $"{_s.Monitor} = {value} reached the stopping threshold {Fmt(stopAt)}"));
        else if (_s.DivergenceThreshold is { } divergeAt && _cmp.Better(-current, -divergeAt))
            Stop(epoch, context, new StopReason(StopKind.DivergenceThresholdExceeded, Name,
                $"{_s.Monitor} = {value} went past the divergence threshold {Fmt(divergeAt)}"));
    }

    // Sentences count epochs from 1, as Keras prints them; decisions and logs count from 0.
    private string NoImprovementMessage()
    {
        if (_s.Baseline is { } baseline && _best is { } best && !_cmp.IsImprovement(best, baseline))
            return $"{_s.Monitor} did not beat the baseline {Fmt(baseline)} in {_wait} epochs (best {Fmt(_best)} at epoch {_bestEpoch + 1})";
        return $"{_s.Monitor} did not improve for {_wait} epochs (best {Fmt(_best)} at epoch {_bestEpoch + 1})";
    }

    private void Stop(int epoch, TrainingContext context, StopReason reason)
    {
        _stoppedEpoch = epoch;
        context.RequestStop(Name, epoch, null, reason);
    }

    public override void OnTrainEnd(TrainingContext context)
    {
        if (_s.RestoreBestWeights && _hasBestWeights) context.Emit(new BestWeightsRestored(Name, _bestEpoch));
    }

    public override CallbackState SaveState() => new EarlyStoppingState(_wait, _stoppedEpoch, _best, _bestEpoch, _hasBestWeights);

    public override void RestoreState(CallbackState state)
    {
        var s = Expect<EarlyStoppingState>(state);
        (_wait, _stoppedEpoch, _best, _bestEpoch, _hasBestWeights) = (s.Wait, s.StoppedEpoch, s.Best, s.BestEpoch, s.HasBestWeights);
    }

    private static string Fmt(double? v) => v is { } x ? Formatting.PythonFloat.Repr(x) : "None";
}
