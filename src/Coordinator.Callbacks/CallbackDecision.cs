namespace Coordinator.Callbacks;

/// <summary>
/// What a callback decided, as a value: the host (simulator or supervisor) acts on it. The set is closed
/// (a callback of any registered type, a user's too, decides with these): each is an effect every host knows
/// how to carry out and record, so none can be dropped silently.
/// </summary>
public abstract record CallbackDecision
{
    private protected CallbackDecision(string source) => Source = source;

    /// <summary>The callback that decided, as the engine names it (e.g. <c>early-stopping#2</c>).</summary>
    public string Source { get; }
}

/// <summary>The learning rate changed from <see cref="From"/> to <see cref="To"/> at <see cref="Epoch"/>.</summary>
public sealed record LearningRateChanged(string Source, int Epoch, double From, double To, LearningRateChangeReason Reason)
    : CallbackDecision(Source);

public enum LearningRateChangeReason
{
    Schedule,
    Plateau,
}

/// <summary>Training stops after this epoch (or, from a batch, after this batch).</summary>
public sealed record StopRequested(string Source, int Epoch, int? Batch, StopReason Reason) : CallbackDecision(Source);

/// <summary>Write the model (or its weights) to <see cref="Path"/>.</summary>
public sealed record CheckpointRequested(
    string Source, int Epoch, int? Batch, string Path, string Monitor, double? MonitorValue,
    bool WeightsOnly, CheckpointKind Kind) : CallbackDecision(Source);

public enum CheckpointKind
{
    /// <summary>A ModelCheckpoint save (best-only or every time).</summary>
    Regular,
    /// <summary><c>save-last</c>: the newest weights, overwritten each time.</summary>
    Last,
}

/// <summary>Delete a checkpoint this callback wrote before (<c>save-top-k</c> retention).</summary>
public sealed record CheckpointDeletionRequested(string Source, int Epoch, string Path, string Why) : CallbackDecision(Source);

/// <summary>EarlyStopping took this epoch's weights as the best so far: the host keeps a copy.</summary>
public sealed record BestWeightsMarked(string Source, int Epoch) : CallbackDecision(Source);

/// <summary>At the end of training, put back the weights of <see cref="Epoch"/>.</summary>
public sealed record BestWeightsRestored(string Source, int Epoch) : CallbackDecision(Source);

/// <summary>Something the user should know (Keras would <c>warnings.warn</c>); changes nothing.</summary>
public sealed record CallbackWarning(string Source, string Message) : CallbackDecision(Source);

/// <summary>
/// Append <see cref="Row"/> to the log file <see cref="Path"/>; write <see cref="Header"/> first
/// when the file is new or empty; start the file afresh when <see cref="Truncate"/>.
/// </summary>
public sealed record LogLineWriteRequested(string Source, string Path, string Header, string Row, bool Truncate)
    : CallbackDecision(Source);
