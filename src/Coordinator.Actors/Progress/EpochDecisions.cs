using Coordinator.Actors.Protocol;
using Coordinator.Callbacks;

namespace Coordinator.Actors.Progress;

/// <summary>The callbacks' decisions of an epoch as progress carries them: the same facts, without the
/// engine's types (a subscriber needs no callback library) and in the order they were made.</summary>
public static class EpochDecisions
{
    public static IReadOnlyList<EpochDecision> From(IEnumerable<CallbackDecision> decisions) =>
        decisions.Select(Of).OfType<EpochDecision>().ToList();

    private static EpochDecision? Of(CallbackDecision decision) => decision switch
    {
        LearningRateChanged c => new EpochDecision.RateChanged(c.Source, c.From, c.To,
            c.Reason == LearningRateChangeReason.Plateau ? "plateau" : "schedule"),
        CheckpointRequested c => new EpochDecision.CheckpointSaved(c.Source, c.Path, c.Kind == CheckpointKind.Last ? "last" : "regular", c.Batch),
        CheckpointDeletionRequested d => new EpochDecision.CheckpointDeleted(d.Source, d.Path, d.Why),
        Callbacks.BestWeightsMarked m => new EpochDecision.BestWeightsMarked(m.Source),
        Callbacks.StopRequested s => new EpochDecision.StopRequested(s.Source, s.Reason.Kind.ToString(), s.Batch, s.Reason.Message),
        CallbackWarning w => new EpochDecision.Warned(w.Source, w.Message),
        LogLineWriteRequested l => new EpochDecision.LogRowWritten(l.Source, l.Path),
        _ => null, // BestWeightsRestored belongs to the end of training, not to an epoch
    };
}
