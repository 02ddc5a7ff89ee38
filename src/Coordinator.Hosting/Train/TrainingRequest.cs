using Coordinator.Configuration;
using Coordinator.Core;
using Coordinator.Core.Storage;

namespace Coordinator.Cli.Train;

/// <summary>What <see cref="TrainingHost"/> runs: a new run, or the continuation of an unfinished one.</summary>
public abstract record TrainingRequest
{
    private TrainingRequest()
    {
    }

    /// <summary>Faults to inject (crash tests only; <c>coordinator train</c> reads them from the environment once).
    /// A program using the library gets none unless it asks.</summary>
    public FaultInjection Faults { get; init; } = FaultInjection.None;

    /// <summary>A new run of <paramref name="Config"/>, with <paramref name="Training"/> instead of its training
    /// settings when given, in <paramref name="RunDir"/> (new or empty; null: runs/&lt;run-id&gt;/).</summary>
    public sealed record NewRun(RunConfig Config, TrainingSettings? Training = null, string? RunDir = null) : TrainingRequest;

    /// <summary>The unfinished run in <paramref name="Folder"/>, with the settings it started with (its run.conf);
    /// <paramref name="Epochs"/> sets a new epoch limit.</summary>
    public sealed record Resume(string Folder, int? Epochs = null) : TrainingRequest;
}
