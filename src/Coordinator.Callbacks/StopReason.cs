namespace Coordinator.Callbacks;

/// <summary>Why training stopped: a kind for tools and a sentence for people.</summary>
public sealed record StopReason(StopKind Kind, string Source, string Message);

public enum StopKind
{
    /// <summary>EarlyStopping: the monitor did not improve for <c>patience</c> epochs.</summary>
    NoImprovement,
    /// <summary>EarlyStopping: the monitor reached <c>stopping-threshold</c>.</summary>
    StoppingThresholdReached,
    /// <summary>EarlyStopping: the monitor went past <c>divergence-threshold</c>.</summary>
    DivergenceThresholdExceeded,
    /// <summary>EarlyStopping with <c>check-finite</c>: the monitor became NaN or infinite.</summary>
    NonFiniteMonitor,
    /// <summary>TerminateOnNaN: a batch loss was NaN or infinite.</summary>
    NonFiniteLoss,
    /// <summary>A callback's own rule (a callback registered by its user).</summary>
    Requested,
}
