using Coordinator.Callbacks.Scheduling;
using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks;

/// <summary>
/// Keras 3's <c>LearningRateScheduler</c>: at each epoch's start the optimizer's rate becomes
/// <c>schedule(epoch, lr)</c>; at each epoch's end the rate goes into the logs. A rate that is
/// not finite and positive (after float32 rounding) is an error naming the epoch and value.
/// </summary>
public sealed class LearningRateScheduler(string name, LearningRateSchedule schedule, string kind) : TrainingCallback(name)
{
    public override void OnEpochBegin(int epoch, TrainingContext context)
    {
        var old = context.LearningRate;
        var next = schedule(epoch, old);
        if (!double.IsFinite(next) || !double.IsFinite((float)next) || (float)next <= 0)
            throw new CallbackException(Name,
                $"schedule '{kind}' gave learning rate {Formatting.PythonFloat.Repr(next)} for epoch {epoch}; a learning rate must be finite and above 0 (as a float32)");
        context.LearningRate = next;
        if (context.LearningRate != old)
            context.Emit(new LearningRateChanged(Name, epoch, old, context.LearningRate, LearningRateChangeReason.Schedule));
    }

    public override void OnEpochEnd(int epoch, MetricLogs logs, TrainingContext context) =>
        logs["learning_rate"] = context.LearningRate;

    public override CallbackState SaveState() => StatelessCallbackState.Instance;

    public override void RestoreState(CallbackState state) => Expect<StatelessCallbackState>(state);
}
