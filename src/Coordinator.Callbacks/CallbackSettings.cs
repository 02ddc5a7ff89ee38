namespace Coordinator.Callbacks;

/// <summary>One configured callback: its Keras arguments, validated, with Keras's defaults.</summary>
public abstract record CallbackSettings
{
    /// <summary>The configuration name of the callback type, e.g. <c>early-stopping</c>.</summary>
    public abstract string Type { get; }

    /// <summary>Builds a fresh callback; throws <see cref="CallbackConfigurationException"/> for bad settings.</summary>
    public abstract TrainingCallback Create(string name, RunInfo run);
}

/// <summary>What callbacks may know of the run they serve.</summary>
/// <param name="InitialLearningRate">The optimizer's rate before the first epoch.</param>
/// <param name="Workers">How many workers train (Horovod's warm-up scales by it).</param>
public sealed record RunInfo(double InitialLearningRate, int Workers = 1)
{
    /// <summary>The metrics the run's model declares, with their directions (null: a direction the metric does
    /// not declare), as Keras's <c>mode = auto</c> reads them off the model's metric objects; null: no model
    /// declares any (<c>simulate</c>), so Keras's own metric names stand in (<see cref="Monitoring.MetricDirections"/>).</summary>
    public IReadOnlyDictionary<string, Monitoring.Direction?>? Metrics { get; init; }
}
