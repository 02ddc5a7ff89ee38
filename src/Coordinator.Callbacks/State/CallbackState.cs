using System.Text.Json.Serialization;

namespace Coordinator.Callbacks.State;

/// <summary>
/// Everything a callback remembers between epochs; plain data, serializable as JSON. Stored with a
/// <c>type</c> discriminator: each state type is registered with its own in <see cref="CallbackStateTypes"/>.
/// </summary>
[JsonConverter(typeof(CallbackStateJsonConverter))]
public abstract record CallbackState;

// Best: null is Keras's None (no value seen yet). States written before Keras 3.16's rule hold
// +/-Infinity there instead; they are restored as that number, so a resumed old run goes on
// comparing with the +/-inf start it began with and decides as the version that wrote it would.
public sealed record EarlyStoppingState(
    int Wait, int StoppedEpoch, double? Best, int BestEpoch, bool HasBestWeights) : CallbackState;

public sealed record ReduceLrOnPlateauState(int Wait, int CooldownCounter, double? Best) : CallbackState;

public sealed record KeptCheckpoint(string Path, double? Value, int Epoch);

public sealed record ModelCheckpointState(
    double? Best, int CurrentEpoch, int BatchesSinceLastSave, int LastBatchSeen,
    IReadOnlyList<KeptCheckpoint> Kept) : CallbackState;

/// <summary>For callbacks that remember nothing (the scheduler, TerminateOnNaN).</summary>
public sealed record StatelessCallbackState : CallbackState
{
    public static readonly StatelessCallbackState Instance = new();
}

public sealed record CsvLoggerState(IReadOnlyList<string>? Keys, bool HeaderWritten) : CallbackState;
