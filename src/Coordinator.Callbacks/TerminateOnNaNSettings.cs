namespace Coordinator.Callbacks;

/// <summary>Keras's <c>TerminateOnNaN</c>; <see cref="RaiseError"/> aborts at once, skipping the epoch's end.</summary>
public sealed record TerminateOnNaNSettings : CallbackSettings
{
    public override string Type => "terminate-on-nan";
    public bool RaiseError { get; init; }

    public override TrainingCallback Create(string name, RunInfo run) => new TerminateOnNaN(name, this);
}
