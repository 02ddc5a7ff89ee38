using System.Globalization;

namespace Coordinator.Callbacks.Scheduling;

/// <summary>
/// A schedule that can be written in configuration (a distributed run cannot ship a lambda).
/// Each kind validates its parameters and builds a pure <see cref="LearningRateSchedule"/>.
/// </summary>
public abstract record ScheduleSpec
{
    public abstract string Kind { get; }

    /// <summary>Builds the schedule; throws <see cref="CallbackConfigurationException"/> for bad parameters.</summary>
    public abstract LearningRateSchedule Build(string callback, RunInfo run);

    protected CallbackConfigurationException Bad(string callback, string field, double value, string allowed) =>
        new(callback, $"schedule.{field}", value.ToString("R", CultureInfo.InvariantCulture), $"{Kind}: {allowed}");

    protected void RequirePositive(string callback, string field, double value)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw Bad(callback, field, value, "must be a finite number above 0");
    }

    protected void RequireNonNegative(string callback, string field, double value)
    {
        if (!(value >= 0) || !double.IsFinite(value)) throw Bad(callback, field, value, "must be a finite number, 0 or more");
    }
}

/// <summary><c>constant { value }</c>: the same rate every epoch.</summary>
public sealed record ConstantSchedule(double Value) : ScheduleSpec
{
    public override string Kind => "constant";

    public override LearningRateSchedule Build(string callback, RunInfo run)
    {
        RequirePositive(callback, "value", Value);
        return (_, _) => Value;
    }
}

/// <summary><c>step-decay { initial-lr, drop, epochs-per-drop }</c>: initial * drop^floor(epoch / epochs-per-drop).</summary>
public sealed record StepDecaySchedule(double InitialLr, double Drop, int EpochsPerDrop) : ScheduleSpec
{
    public override string Kind => "step-decay";

    public override LearningRateSchedule Build(string callback, RunInfo run)
    {
        RequirePositive(callback, "initial-lr", InitialLr);
        RequirePositive(callback, "drop", Drop);
        if (EpochsPerDrop < 1) throw Bad(callback, "epochs-per-drop", EpochsPerDrop, "must be a whole number, 1 or more");
        return (epoch, _) => InitialLr * Math.Pow(Drop, Math.Floor((double)epoch / EpochsPerDrop));
    }
}

/// <summary><c>exponential-after { hold-epochs, rate }</c>: lr before hold-epochs, then lr * exp(-rate) each epoch
/// (the example schedule of Keras's documentation).</summary>
public sealed record ExponentialAfterSchedule(int HoldEpochs, double Rate) : ScheduleSpec
{
    public override string Kind => "exponential-after";

    public override LearningRateSchedule Build(string callback, RunInfo run)
    {
        if (HoldEpochs < 0) throw Bad(callback, "hold-epochs", HoldEpochs, "must be 0 or more");
        if (!double.IsFinite(Rate)) throw Bad(callback, "rate", Rate, "must be a finite number");
        return (epoch, lr) => epoch < HoldEpochs ? lr : lr * Math.Exp(-Rate);
    }
}

/// <summary><c>multiply-every { every, factor }</c>: lr * factor at epochs that are positive multiples of every.</summary>
public sealed record MultiplyEverySchedule(int Every, double Factor) : ScheduleSpec
{
    public override string Kind => "multiply-every";

    public override LearningRateSchedule Build(string callback, RunInfo run)
    {
        if (Every < 1) throw Bad(callback, "every", Every, "must be a whole number, 1 or more");
        RequirePositive(callback, "factor", Factor);
        return (epoch, lr) => epoch > 0 && epoch % Every == 0 ? lr * Factor : lr;
    }
}

/// <summary><c>inverse-time { initial-lr, decay }</c>: initial / (1 + decay * epoch).</summary>
public sealed record InverseTimeSchedule(double InitialLr, double Decay) : ScheduleSpec
{
    public override string Kind => "inverse-time";

    public override LearningRateSchedule Build(string callback, RunInfo run)
    {
        RequirePositive(callback, "initial-lr", InitialLr);
        RequireNonNegative(callback, "decay", Decay);
        return (epoch, _) => InitialLr / (1 + Decay * epoch);
    }
}

/// <summary><c>cosine { initial-lr, decay-epochs, alpha }</c>: Keras's <c>CosineDecay</c> by epoch (alpha must be
/// above 0, unlike Keras's default of 0, since a rate of 0 is refused):
/// initial * ((1 - alpha) * (1 + cos(pi * min(epoch, decay-epochs) / decay-epochs)) / 2 + alpha).</summary>
public sealed record CosineSchedule(double InitialLr, int DecayEpochs, double Alpha = 0) : ScheduleSpec
{
    public override string Kind => "cosine";

    public override LearningRateSchedule Build(string callback, RunInfo run)
    {
        RequirePositive(callback, "initial-lr", InitialLr);
        if (DecayEpochs < 1) throw Bad(callback, "decay-epochs", DecayEpochs, "must be a whole number, 1 or more");
        if (!(Alpha > 0 && Alpha <= 1))
            throw Bad(callback, "alpha", Alpha,
                "must be above 0 and at most 1: the rate ends at initial-lr * alpha, and a rate of 0 is not a usable learning rate");
        return (epoch, _) =>
        {
            var progress = Math.Min(epoch, DecayEpochs) / (double)DecayEpochs;
            return InitialLr * ((1 - Alpha) * 0.5 * (1 + Math.Cos(Math.PI * progress)) + Alpha);
        };
    }
}

/// <summary><c>piecewise { boundaries, values }</c>: Keras's <c>PiecewiseConstantDecay</c> by epoch:
/// values[0] while epoch &lt;= boundaries[0], values[i] while boundaries[i-1] &lt; epoch &lt;= boundaries[i],
/// and the last value after the last boundary.</summary>
public sealed record PiecewiseSchedule(IReadOnlyList<int> Boundaries, IReadOnlyList<double> Values) : ScheduleSpec
{
    public override string Kind => "piecewise";

    public override LearningRateSchedule Build(string callback, RunInfo run)
    {
        if (Values.Count != Boundaries.Count + 1)
            throw new CallbackConfigurationException(callback, "schedule.values", $"[{string.Join(", ", Values)}]",
                $"piecewise: needs exactly one more value than boundaries ({Boundaries.Count} boundaries given)");
        for (var i = 1; i < Boundaries.Count; i++)
            if (Boundaries[i] <= Boundaries[i - 1])
                throw new CallbackConfigurationException(callback, "schedule.boundaries", $"[{string.Join(", ", Boundaries)}]",
                    "piecewise: boundaries must be strictly increasing epochs");
        foreach (var v in Values) RequirePositive(callback, "values", v);
        return (epoch, _) =>
        {
            for (var i = 0; i < Boundaries.Count; i++)
                if (epoch <= Boundaries[i]) return Values[i];
            return Values[^1];
        };
    }
}

/// <summary>
/// <c>warmup { epochs, workers, target-lr, then }</c>: Horovod's rule for scaled rates. For
/// epoch &lt; epochs the rate ramps linearly from target/workers (epoch 0) towards target:
/// target / workers * (1 + epoch * (workers - 1) / epochs); from epochs on, <c>then</c> decides
/// (given target-lr as the current rate on its first epoch). workers defaults to the run's worker
/// count, target-lr to the run's initial rate, then to a constant target-lr.
/// </summary>
public sealed record WarmupSchedule(int Epochs, int? Workers = null, double? TargetLr = null, ScheduleSpec? Then = null) : ScheduleSpec
{
    public override string Kind => "warmup";

    public override LearningRateSchedule Build(string callback, RunInfo run)
    {
        if (Epochs < 1) throw Bad(callback, "epochs", Epochs, "must be a whole number, 1 or more");
        var workers = Workers ?? run.Workers;
        if (workers < 1) throw Bad(callback, "workers", workers, "must be a whole number, 1 or more");
        var target = TargetLr ?? run.InitialLearningRate;
        RequirePositive(callback, "target-lr", target);
        var then = Then?.Build(callback, run) ?? ((_, _) => target);
        return (epoch, lr) => epoch < Epochs
            ? target / workers * (1 + epoch * (workers - 1) / (double)Epochs)
            : then(epoch, epoch == Epochs ? target : lr);
    }
}

/// <summary>A C# delegate, for programmatic use (not expressible in configuration).</summary>
public sealed record DelegateSchedule(LearningRateSchedule Schedule, string Description = "delegate") : ScheduleSpec
{
    public override string Kind => Description;

    public override LearningRateSchedule Build(string callback, RunInfo run) => Schedule;
}
