using System.Text.Json.Serialization;

namespace Coordinator.Actors.Protocol;

/// <summary>
/// What a callback decided during an epoch, as progress carries it (<see cref="RunProgress.EpochSummarized"/>):
/// data for subscribers to show or count, never a sentence made for one of them. <see cref="Source"/> is the
/// callback's name. Epochs count from 0.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "decision")]
[JsonDerivedType(typeof(RateChanged), "rate-changed")]
[JsonDerivedType(typeof(CheckpointSaved), "checkpoint-saved")]
[JsonDerivedType(typeof(CheckpointDeleted), "checkpoint-deleted")]
[JsonDerivedType(typeof(BestWeightsMarked), "best-weights-marked")]
[JsonDerivedType(typeof(StopRequested), "stop-requested")]
[JsonDerivedType(typeof(Warned), "warned")]
[JsonDerivedType(typeof(LogRowWritten), "log-row-written")]
public abstract record EpochDecision(string Source)
{
    /// <summary>The learning rate goes from <paramref name="From"/> to <paramref name="To"/>; <paramref name="Reason"/>
    /// is <c>schedule</c> or <c>plateau</c>.</summary>
    public sealed record RateChanged(string Source, double From, double To, string Reason) : EpochDecision(Source);

    /// <summary>A checkpoint was written (<paramref name="Path"/> as the callback named it); <paramref name="Kind"/> is
    /// <c>regular</c> or <c>last</c> (save-last, overwritten each time).</summary>
    public sealed record CheckpointSaved(string Source, string Path, string Kind, int? Batch) : EpochDecision(Source);

    /// <summary>save-top-k dropped an earlier checkpoint.</summary>
    public sealed record CheckpointDeleted(string Source, string Path, string Why) : EpochDecision(Source);

    /// <summary>EarlyStopping took this epoch's weights as the best so far.</summary>
    public sealed record BestWeightsMarked(string Source) : EpochDecision(Source);

    /// <summary>Training stops after this epoch (or, at <paramref name="Batch"/>, after that batch); <paramref name="Kind"/>
    /// as <c>TrainingStopped</c> records it (<c>NoImprovement</c>, <c>NonFiniteLoss</c>, ...).</summary>
    public sealed record StopRequested(string Source, string Kind, int? Batch, string Message) : EpochDecision(Source);

    /// <summary>A callback's warning (also published as a <see cref="RunProgress.Warning"/> when it happened).</summary>
    public sealed record Warned(string Source, string Message) : EpochDecision(Source);

    /// <summary>A CSV logger's row for this epoch goes to <paramref name="Path"/>.</summary>
    public sealed record LogRowWritten(string Source, string Path) : EpochDecision(Source);
}
