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

    /// <summary>A rate as people read it: 4 significant digits (0.002, not 0.001999999862164259).</summary>
    public static string Rate(double rate) =>
        Callbacks.Formatting.PythonFormat.Format("{lr:.4g}", new Dictionary<string, object> { ["lr"] = rate });
}
