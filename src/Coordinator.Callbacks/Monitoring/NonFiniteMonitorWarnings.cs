using Coordinator.Callbacks.Formatting;

namespace Coordinator.Callbacks.Monitoring;

/// <summary>
/// Warns when a callback compared a monitored value that is not finite. Keras 3 takes the first
/// value a monitor sees as its best whatever it is, and every comparison with NaN is false: a
/// first NaN becomes a best that nothing improves on, a later one is never an improvement. Keras
/// says nothing; this says so once per epoch per metric, naming what each callback made of it.
/// </summary>
internal sealed class NonFiniteMonitorWarnings
{
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private int? _epoch;

    /// <summary>The best value of each monitoring callback before a hook, to tell afterwards which took the value.</summary>
    public static double?[] Before(IReadOnlyList<TrainingCallback> callbacks) =>
        callbacks.Select(c => c.Monitoring?.Best).ToArray();

    /// <summary>The warnings for the hook just run at this epoch's end (<paramref name="batch"/> null) or batch.</summary>
    public IEnumerable<CallbackWarning> After(IReadOnlyList<TrainingCallback> callbacks, double?[] before,
        int epoch, int? batch, MetricLogs logs)
    {
        if (_epoch != epoch) _warned.Clear();
        _epoch = epoch;
        var compared = callbacks
            .Select((c, i) => (Callback: c, Reading: c.Monitoring, Before: before[i]))
            .Where(x => x.Reading is not null && x.Callback.Compared(epoch, batch))
            .GroupBy(x => x.Reading!.Monitor, StringComparer.Ordinal);
        foreach (var group in compared)
        {
            if (logs.Get(group.Key) is not { } value || double.IsFinite(value) || !_warned.Add(group.Key)) continue;
            var what = group.Select(x => Outcome(x.Callback.Name, x.Reading!, x.Before));
            var at = batch is { } b ? $"epoch {epoch + 1}, batch {b + 1}" : $"epoch {epoch + 1}";
            yield return new CallbackWarning(group.First().Callback.Name,
                $"{group.Key} = {PythonFloat.Repr(value)} at {at} is not finite: {string.Join("; ", what)}");
        }
    }

    private static string Outcome(string name, MonitorReading after, double? before)
    {
        var took = !Nullable.Equals(before, after.Best);
        if (took && before is null)
            return $"{name} took it as its best value (as Keras 3 takes any first value)" +
                   (after.Unbeatable ? ", and no later value can improve on it" : "");
        if (took) return $"{name} took it as its best value, and no later value can improve on it";
        var best = after.Best is { } b ? PythonFloat.Repr(b) : "None";
        return after.Unbeatable
            ? $"no improvement for {name}, whose best is {best}: no value can improve on it"
            : $"no improvement for {name} (best {best})";
    }
}
