using System.Globalization;
using Coordinator.Callbacks.State;

namespace Coordinator.Callbacks;

/// <summary>Keras 3's <c>TerminateOnNaN</c>: a NaN or infinite batch <c>loss</c> stops training.</summary>
public sealed class TerminateOnNaN(string name, TerminateOnNaNSettings settings) : TrainingCallback(name)
{
    public override void OnTrainBatchEnd(int epoch, int batch, MetricLogs logs, TrainingContext context)
    {
        if (!logs.TryGetValue("loss", out var loss) || double.IsFinite(loss)) return;
        var reason = new StopReason(StopKind.NonFiniteLoss, Name,
            string.Create(CultureInfo.InvariantCulture, $"Batch {batch} of epoch {epoch + 1}: invalid loss {Formatting.PythonFloat.Repr(loss)}, terminating training"));
        context.RequestStop(Name, epoch, batch, reason);
        if (settings.RaiseError) context.Abort();
    }

    public override CallbackState SaveState() => StatelessCallbackState.Instance;

    public override void RestoreState(CallbackState state) => Expect<StatelessCallbackState>(state);
}
