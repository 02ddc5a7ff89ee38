namespace Coordinator.Testing.Scripts;

/// <summary>
/// The logs one epoch is to produce, as the supervisor aggregates them: <c>loss</c> and <c>accuracy</c>
/// over the training samples, <c>val_loss</c> and <c>val_accuracy</c> over the validation share.
/// These are the only metrics the workers' reports carry. A pair is logged together: without
/// <see cref="Accuracy"/> the supervisor logs <c>accuracy</c> 0 (no sample counted correct), and the
/// same for <see cref="ValAccuracy"/> once <see cref="ValLoss"/> is given. Losses may be NaN or infinite.
/// </summary>
public sealed record EpochMetrics(double Loss, double? Accuracy = null, double? ValLoss = null, double? ValAccuracy = null);
