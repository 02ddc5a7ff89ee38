using Coordinator.Callbacks.Monitoring;
using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks;

/// <summary>
/// A training callback: a state machine fed with Keras's hooks in Keras's order. It decides
/// through the <see cref="TrainingContext"/> and keeps all of its state in a
/// <see cref="CallbackState"/> that can be saved after any epoch and restored into a new instance.
/// </summary>
public abstract class TrainingCallback(string name)
{
    /// <summary>How decisions and messages name this callback, e.g. <c>early-stopping</c>.</summary>
    public string Name { get; } = name;

    public virtual void OnTrainBegin(TrainingContext context) { }

    public virtual void OnEpochBegin(int epoch, TrainingContext context) { }

    /// <summary>Keras's <c>on_train_batch_end</c> (which calls <c>on_batch_end</c>).</summary>
    public virtual void OnTrainBatchEnd(int epoch, int batch, MetricLogs logs, TrainingContext context) { }

    public virtual void OnEpochEnd(int epoch, MetricLogs logs, TrainingContext context) { }

    public virtual void OnTrainEnd(TrainingContext context) { }

    /// <summary>The metric this callback compares with a best value, and that best now; null if it
    /// compares none (the engine warns when such a metric is not finite).</summary>
    public virtual MonitorReading? Monitoring => null;

    /// <summary>Whether the hook just run for this epoch's end (<paramref name="batch"/> null) or
    /// this batch compared <see cref="Monitoring"/>'s metric.</summary>
    public virtual bool Compared(int epoch, int? batch) => false;

    public abstract CallbackState SaveState();

    public abstract void RestoreState(CallbackState state);

    protected T Expect<T>(CallbackState state) where T : CallbackState =>
        state as T ?? throw new ArgumentException(
            $"{Name}: cannot restore from a {state.GetType().Name}; expected a {typeof(T).Name}", nameof(state));
}
