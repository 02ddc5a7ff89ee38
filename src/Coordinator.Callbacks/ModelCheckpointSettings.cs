namespace Coordinator.Callbacks;

/// <summary>
/// Keras's <c>ModelCheckpoint</c> arguments with Keras's defaults (any file suffix is allowed),
/// plus Lightning's <see cref="SaveTopK"/> and <see cref="SaveLast"/>.
/// </summary>
public sealed record ModelCheckpointSettings(string Filepath) : CallbackSettings
{
    public override string Type => "model-checkpoint";
    public string Monitor { get; init; } = "val_loss";
    public int Verbose { get; init; }
    public bool SaveBestOnly { get; init; }
    public bool SaveWeightsOnly { get; init; }
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;
    /// <summary>Null for <c>"epoch"</c>; otherwise save every this many batches, counted across epochs.</summary>
    public int? SaveFreqBatches { get; init; }
    public double? InitialValueThreshold { get; init; }
    /// <summary>Keep only the k best files by the monitor (-1: keep all; 0: save none).</summary>
    public int SaveTopK { get; init; } = -1;
    /// <summary>Also write the newest weights to <see cref="LastFilepath"/> at every save point.</summary>
    public bool SaveLast { get; init; }
    /// <summary>Where <see cref="SaveLast"/> writes; by default <c>last</c> plus the template's suffix, beside it.</summary>
    public string? LastFilepath { get; init; }

    public override TrainingCallback Create(string name, RunInfo run) => new ModelCheckpoint(name, this, run.Metrics);
}
