namespace Coordinator.Actors.Serialization.Legacy;

/// <summary>
/// <c>epoch-completed.v1</c>, as the first release wrote it (no step count). Read only: it is
/// upcast to the current <see cref="Events.RunEvents.EpochCompleted"/> with Steps = 0 (unknown).
/// </summary>
internal sealed record EpochCompletedV1(
    int Epoch, double LearningRate, IReadOnlyDictionary<string, double> Logs, double Seconds, long BytesSent, string CallbackState)
{
    public Events.RunEvents.EpochCompleted Upcast() =>
        new(Epoch, LearningRate, Logs, Seconds, Steps: 0, BytesSent, CallbackState);
}
