using Coordinator.Core.Reporting;

namespace Coordinator.Reporting;

/// <summary>
/// The one line printed per epoch (epochs counted from 1, as Keras prints them; records count from 0):
/// <c>Epoch 3/60  loss 0.4123  acc 0.8850  val_loss 0.3901  val_acc 0.8972  lr 0.01  2.1s  lr 0.01 -> 0.002 (plateau); checkpoint saved</c>.
/// Every log of the epoch is shown in its order, with four decimals (accuracy as <c>acc</c>, as Keras's
/// progress bar once wrote it); a metric other than the loss is left out when NaN (not measured), the loss is
/// always shown (<c>nan</c> if it diverged); the callback notes follow, joined by "; ".
/// </summary>
public static class EpochLine
{
    private const string Gap = "  ";

    public static string Format(EpochRecord epoch, int totalEpochs, IReadOnlyList<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        var parts = new List<string>(9)
        {
            $"Epoch {epoch.Epoch + 1}/{totalEpochs}",
            "loss " + NumberText.Metric(epoch.Loss),
        };
        foreach (var (name, value) in epoch.Logs.Items)
            if (name != "loss") AddIfMeasured(parts, MetricText(name), value);
        parts.Add("lr " + NumberText.Rate(epoch.Lr));
        parts.Add(NumberText.Seconds(epoch.Seconds));
        var noteText = notes is null ? "" : string.Join("; ", notes.Where(n => !string.IsNullOrWhiteSpace(n)));
        if (noteText.Length > 0) parts.Add(noteText);
        return string.Join(Gap, parts);
    }

    /// <summary>The note for a rate change: <c>lr 0.01 -> 0.002 (plateau)</c>.</summary>
    public static string LrChangeNote(LrChangeRecord change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var text = $"lr {NumberText.Rate(change.From)} -> {NumberText.Rate(change.To)}";
        return string.IsNullOrWhiteSpace(change.Reason) ? text : $"{text} ({change.Reason})";
    }

    /// <summary>The progress text within an epoch: <c>Epoch 3/60  25% (10/40)  loss 0.4123</c>.</summary>
    public static string Partial(int epoch, int totalEpochs, int step, int steps, double runningLoss)
    {
        var percent = steps > 0 ? (int)Math.Floor(100.0 * step / steps) : 0;
        return $"Epoch {epoch + 1}/{totalEpochs}{Gap}{percent}% ({step}/{steps}){Gap}loss {NumberText.Metric(runningLoss)}";
    }

    /// <summary>A log's name on screen: <c>acc</c> and <c>val_acc</c> for the accuracies, others as logged.</summary>
    public static string MetricText(string name) => name switch
    {
        "accuracy" => "acc",
        "val_accuracy" => "val_acc",
        _ => name,
    };

    /// <summary><c>loss 0.0348  acc 0.9958  val_loss 0.1230  val_acc 0.9610</c>: every value given, four decimals.</summary>
    public static string Metrics(IEnumerable<KeyValuePair<string, double>> logs) =>
        string.Join(Gap, logs.Select(l => $"{MetricText(l.Key)} {NumberText.Metric(l.Value)}"));

    private static void AddIfMeasured(List<string> parts, string name, double value)
    {
        if (!double.IsNaN(value)) parts.Add(name + " " + NumberText.Metric(value));
    }
}
