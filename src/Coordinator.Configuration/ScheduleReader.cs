using Coordinator.Callbacks.Scheduling;

namespace Coordinator.Configuration;

/// <summary>Reads a learning-rate <c>schedule { kind = ..., ... }</c> object.</summary>
public static class ScheduleReader
{
    public static readonly IReadOnlyList<string> Kinds =
        ["constant", "step-decay", "exponential-after", "multiply-every", "inverse-time", "cosine", "piecewise", "warmup"];

    public static ScheduleSpec Read(HoconFields f)
    {
        var kind = f.RequireString("kind", $"one of: {string.Join(", ", Kinds)}");
        ScheduleSpec spec = kind switch
        {
            "constant" => new ConstantSchedule(RequireDouble(f, "value")),
            "step-decay" => new StepDecaySchedule(RequireDouble(f, "initial-lr"), RequireDouble(f, "drop"), RequireInt(f, "epochs-per-drop")),
            "exponential-after" => new ExponentialAfterSchedule(RequireInt(f, "hold-epochs"), RequireDouble(f, "rate")),
            "multiply-every" => new MultiplyEverySchedule(RequireInt(f, "every"), RequireDouble(f, "factor")),
            "inverse-time" => new InverseTimeSchedule(RequireDouble(f, "initial-lr"), RequireDouble(f, "decay")),
            "cosine" => new CosineSchedule(RequireDouble(f, "initial-lr"), RequireInt(f, "decay-epochs"), RequireDouble(f, "alpha")),
            "piecewise" => new PiecewiseSchedule(
                f.IntList("boundaries") ?? throw ConfigurationError.Missing(f.FieldPath("boundaries"), "a list of epochs, e.g. [10, 20]"),
                f.DoubleList("values") ?? throw ConfigurationError.Missing(f.FieldPath("values"), "a list of rates, one more than boundaries")),
            "warmup" => new WarmupSchedule(RequireInt(f, "epochs"), f.Int("workers"), f.Double("target-lr"),
                f.Object("then") is { } then ? Read(then) : null),
            _ => throw new ConfigurationError(f.FieldPath("kind"), kind, $"unknown schedule kind; allowed: {string.Join(", ", Kinds)}"),
        };
        f.RejectUnknown($"schedule kind {kind}");
        return spec;
    }

    private static double RequireDouble(HoconFields f, string key) =>
        f.Double(key) ?? throw ConfigurationError.Missing(f.FieldPath(key), "a number");

    private static int RequireInt(HoconFields f, string key) =>
        f.Int(key) ?? throw ConfigurationError.Missing(f.FieldPath(key), "a whole number");
}
