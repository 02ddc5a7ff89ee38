using System.Globalization;
using Coordinator.Callbacks.Monitoring;
using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks;

/// <summary>
/// Keras 3's <c>ReduceLROnPlateau</c> (3.16): <c>best</c> starts as <c>None</c> at every train
/// begin (Keras's <c>_reset</c>), so the first monitored value is the best, even NaN. Each epoch
/// it logs the current rate, then (monitor present) leaves
/// cooldown first, then tests improvement, then counts the wait outside cooldown; a reduction
/// happens only while <c>lr &gt; float32(min_lr)</c> and is clamped to min_lr.
/// </summary>
public sealed class ReduceLrOnPlateau : TrainingCallback
{
    private readonly ReduceLrOnPlateauSettings _s;
    private readonly MonitorComparison _cmp;
    private int _wait;
    private int _cooldownCounter;
    private double? _best;

    public ReduceLrOnPlateau(string name, ReduceLrOnPlateauSettings settings, IReadOnlyDictionary<string, Direction?>? declared = null) : base(name)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!(settings.Factor < 1.0))
            throw new CallbackConfigurationException(name, "factor", settings.Factor.ToString(inv),
                "ReduceLROnPlateau does not support a factor >= 1.0 (the new rate is lr * factor)");
        if (!(settings.Factor > 0.0))
            throw new CallbackConfigurationException(name, "factor", settings.Factor.ToString(inv), "must be above 0 (the new rate is lr * factor)");
        if (settings.Patience < 0)
            throw new CallbackConfigurationException(name, "patience", settings.Patience.ToString(inv), "must be 0 or more");
        if (settings.Cooldown < 0)
            throw new CallbackConfigurationException(name, "cooldown", settings.Cooldown.ToString(inv), "must be 0 or more");
        if (!(settings.MinLr >= 0) || double.IsInfinity(settings.MinLr))
            throw new CallbackConfigurationException(name, "min-lr", settings.MinLr.ToString(inv), "must be a finite number, 0 or more");
        MonitorSettingsCheck.Finite(name, "min-delta", settings.MinDelta);
        _s = settings;
        _cmp = new MonitorComparison(MetricDirections.Resolve(name, settings.Monitor, settings.Mode, declared), settings.MinDelta);
    }

    public int Wait => _wait;
    public int CooldownCounter => _cooldownCounter;
    /// <summary>The best monitored value; null (Keras's None) before any was seen.</summary>
    public double? Best => _best;

    private bool InCooldown => _cooldownCounter > 0;

    public override MonitorReading Monitoring => new(_s.Monitor, _cmp.Direction, _best);

    public override bool Compared(int epoch, int? batch) => batch is null;

    public override void OnTrainBegin(TrainingContext context)
    {
        _cooldownCounter = 0;
        _wait = 0;
        _best = null;
    }

    public override void OnEpochEnd(int epoch, MetricLogs logs, TrainingContext context)
    {
        logs["learning_rate"] = context.LearningRate;
        if (!logs.TryGetValue(_s.Monitor, out var current))
        {
            context.Emit(new CallbackWarning(Name,
                $"Learning rate reduction is conditioned on metric `{_s.Monitor}` which is not available. Available metrics are: {logs.KeyList}."));
            return;
        }

        if (InCooldown)
        {
            _cooldownCounter--;
            _wait = 0;
        }

        if (_cmp.IsImprovement(current, _best))
        {
            _best = current;
            _wait = 0;
        }
        else if (!InCooldown)
        {
            _wait++;
            if (_wait >= _s.Patience)
            {
                var oldLr = context.LearningRate;
                if (oldLr > (float)_s.MinLr)
                {
                    context.LearningRate = Math.Max(oldLr * _s.Factor, _s.MinLr);
                    context.Emit(new LearningRateChanged(Name, epoch, oldLr, context.LearningRate, LearningRateChangeReason.Plateau));
                    _cooldownCounter = _s.Cooldown;
                    _wait = 0;
                }
            }
        }
    }

    public override CallbackState SaveState() => new ReduceLrOnPlateauState(_wait, _cooldownCounter, _best);

    public override void RestoreState(CallbackState state)
    {
        var s = Expect<ReduceLrOnPlateauState>(state);
        (_wait, _cooldownCounter, _best) = (s.Wait, s.CooldownCounter, s.Best);
    }
}
