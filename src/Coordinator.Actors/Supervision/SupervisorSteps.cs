using Akka.Actor;
using Coordinator.Actors.Supervision.Decider;
using Coordinator.Core.Reporting;
using static Coordinator.Actors.Events.RunEvents;

namespace Coordinator.Actors.Supervision;

/// <summary>
/// The supervisor's own steps: what each round of member requests is for, and the results of file work
/// piped back from the checkpoint store. Each carries what the next step needs, so no step is a closure.
/// </summary>
internal static class SupervisorSteps
{
    /// <summary>What to do once members have loaded a state.</summary>
    public abstract record AfterLoad
    {
        public sealed record GoOn(int FromEpoch) : AfterLoad;
        public sealed record AdmitJoiners(int Epoch) : AfterLoad;
        public sealed record Restart(int Epoch) : AfterLoad;
    }

    // ---- Rounds (MemberRound.Spec.Purpose)
    public sealed record LoadState(AfterLoad Then);
    public sealed record AbortEpoch(int Epoch);
    public sealed record CaptureWeights(FileJob Job);
    public sealed record CaptureFirstState(int Epoch);
    public sealed record HashStates(int Epoch, StoredFile First);
    public sealed record CaptureDifferingStates(int Epoch, StoredFile First);
    public sealed record LoadBestWeights;
    public sealed record EvaluateFinal;
    public sealed record CaptureFinalWeights(FinalMetrics Final);

    // ---- Store results (piped back)
    public sealed record ResumeStatesChecked(IReadOnlyDictionary<string, string?> Problems) : INoSerializationVerificationNeeded;
    public sealed record StatesRead(AfterLoad Then, byte[]?[] States) : INoSerializationVerificationNeeded;
    public sealed record WeightsStored(FileJob Job, StoredFile File) : INoSerializationVerificationNeeded;
    public sealed record FirstStateStored(int Epoch, StoredFile File) : INoSerializationVerificationNeeded;
    public sealed record ResumeStateStored(ResumeStateSaved Saved) : INoSerializationVerificationNeeded;
    public sealed record BestWeightsFound(int Epoch, string Source, StoredFile Best, Store.BestWeightsLookup Lookup) : INoSerializationVerificationNeeded;
    public sealed record FinalModelStored(FinalMetrics Final, StoredFile File) : INoSerializationVerificationNeeded;
    public sealed record StoreWarnings(IReadOnlyList<string> Warnings) : INoSerializationVerificationNeeded;
    public sealed record StoreFailed(string Reason) : INoSerializationVerificationNeeded;
    public sealed record StoreDrained(string? Error) : INoSerializationVerificationNeeded;

    // ---- Timers and self-messages
    public sealed record WorkersTimedOut : INoSerializationVerificationNeeded;
    public sealed record RunAlreadyOver : INoSerializationVerificationNeeded;
}
