namespace Coordinator.Testing.Results;

/// <summary>An epoch as the journal records it: the rate it trained with and its logs after the callbacks (with learning_rate).</summary>
public sealed record EpochOutcome(int Epoch, double LearningRate, IReadOnlyDictionary<string, double> Logs);

/// <summary>A learning-rate change decided at the end (plateau) or start (schedule) of <see cref="Epoch"/>.</summary>
public sealed record RateChange(int Epoch, double From, double To, string Reason, string Source);

/// <summary>
/// A checkpoint ModelCheckpoint saved: its file name in the checkpoint folder, the monitor's value, whether
/// save-top-k deleted it since, and which epoch's weights the file holds (null once deleted).
/// </summary>
public sealed record SavedCheckpoint(
    int Epoch, int? Batch, string File, string Monitor, double? MonitorValue, string Kind, bool Deleted, int? WeightsEpoch);

/// <summary>Why and where training stopped: at the end of <see cref="Epoch"/>, or after <see cref="Batch"/> of it.</summary>
public sealed record StopOutcome(int Epoch, int? Batch, string Kind, string Source, string Reason);
