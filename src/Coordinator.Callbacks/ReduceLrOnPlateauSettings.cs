namespace Coordinator.Callbacks;

/// <summary>Keras's <c>ReduceLROnPlateau</c> arguments with Keras's defaults.</summary>
public sealed record ReduceLrOnPlateauSettings : CallbackSettings
{
    public override string Type => "reduce-lr-on-plateau";
    public string Monitor { get; init; } = "val_loss";
    public double Factor { get; init; } = 0.1;
    public int Patience { get; init; } = 10;
    public int Verbose { get; init; }
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;
    public double MinDelta { get; init; } = 1e-4;
    public int Cooldown { get; init; }
    public double MinLr { get; init; }

    public override TrainingCallback Create(string name, RunInfo run) => new ReduceLrOnPlateau(name, this, run.Metrics);
}
