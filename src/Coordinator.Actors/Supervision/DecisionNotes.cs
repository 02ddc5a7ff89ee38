using System.Globalization;
using Coordinator.Callbacks;

namespace Coordinator.Actors.Supervision;

/// <summary>What the callbacks decided, in the few words the epoch line shows.</summary>
public static class DecisionNotes
{
    public static IReadOnlyList<string> For(IEnumerable<CallbackDecision> decisions) =>
        decisions.Select(Note).OfType<string>().Distinct().ToList();

    private static string? Note(CallbackDecision d) => d switch
    {
        LearningRateChanged c => string.Create(CultureInfo.InvariantCulture,
            $"lr {Rate(c.From)} -> {Rate(c.To)} ({(c.Reason == LearningRateChangeReason.Plateau ? "plateau" : "schedule")})"),
        CheckpointRequested { Kind: CheckpointKind.Regular } => "checkpoint saved",
        StopRequested { Reason.Kind: StopKind.NonFiniteLoss } => "stopped: NaN/inf loss",
        StopRequested => "early stop",
        _ => null,
    };

    /// <summary>A rate as people write it: the float32 value's shortest text (0.01, not 0.009999999776482582).</summary>
    public static string Rate(double rate) => ((float)rate).ToString("R", CultureInfo.InvariantCulture);
}
