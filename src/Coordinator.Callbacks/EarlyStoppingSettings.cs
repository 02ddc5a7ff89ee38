namespace Coordinator.Callbacks;

/// <summary>
/// Keras's <c>EarlyStopping</c> arguments with Keras's defaults, plus three from PyTorch
/// Lightning: <see cref="StoppingThreshold"/>, <see cref="DivergenceThreshold"/> and
/// <see cref="CheckFinite"/> (all off by default, so the Keras behaviour is unchanged).
/// </summary>
public sealed record EarlyStoppingSettings : CallbackSettings
{
    public override string Type => "early-stopping";
    public string Monitor { get; init; } = "val_loss";
    public double MinDelta { get; init; }
    public int Patience { get; init; }
    public int Verbose { get; init; }
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;
    public double? Baseline { get; init; }
    public bool RestoreBestWeights { get; init; }
    public int StartFromEpoch { get; init; }
    /// <summary>Stop as soon as the monitor is better than this value.</summary>
    public double? StoppingThreshold { get; init; }
    /// <summary>Stop as soon as the monitor is worse than this value.</summary>
    public double? DivergenceThreshold { get; init; }
    /// <summary>Stop when the monitor becomes NaN or infinite.</summary>
    public bool CheckFinite { get; init; }

    public override TrainingCallback Create(string name, RunInfo run) => new EarlyStopping(name, this, run.Metrics);
}
