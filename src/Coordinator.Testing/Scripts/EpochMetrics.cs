namespace Coordinator.Testing.Scripts;

/// <summary>
/// The logs one epoch is to produce, as the supervisor aggregates them: <c>loss</c> and <c>accuracy</c>
/// over the training samples, <c>val_loss</c> and <c>val_accuracy</c> over the validation share, and any
/// further metric by name (<see cref="Others"/>). A pair is logged together: without
/// <see cref="Accuracy"/> the supervisor logs <c>accuracy</c> 0 (no sample counted correct), and the
/// same for <see cref="ValAccuracy"/> once <see cref="ValLoss"/> is given. Losses may be NaN or infinite.
/// </summary>
public sealed record EpochMetrics(double Loss, double? Accuracy = null, double? ValLoss = null, double? ValAccuracy = null)
{
    /// <summary>Further logs by name, reported by the workers as any replica's metric would be: a name with
    /// <c>val_</c> is a validation metric (e.g. <c>top_3_accuracy</c> and <c>val_top_3_accuracy</c>).</summary>
    public IReadOnlyDictionary<string, double> Others { get; init; } = new Dictionary<string, double>();

    // Compared by content, Others included (records compare a dictionary by reference).
    public bool Equals(EpochMetrics? other) =>
        other is not null && (Loss, Accuracy, ValLoss, ValAccuracy).Equals((other.Loss, other.Accuracy, other.ValLoss, other.ValAccuracy)) &&
        Others.Count == other.Others.Count && Others.All(o => other.Others.TryGetValue(o.Key, out var v) && v.Equals(o.Value));

    public override int GetHashCode() => HashCode.Combine(Loss, Accuracy, ValLoss, ValAccuracy, Others.Count);
}
