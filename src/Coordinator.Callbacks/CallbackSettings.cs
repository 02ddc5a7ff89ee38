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
public sealed record RunInfo(double InitialLearningRate, int Workers = 1);
