namespace Coordinator.Core.Metrics;

/// <summary>Which way a metric improves, as a Keras metric object's <c>_direction</c> says
/// (<see cref="Unknown"/>: it does not say, as a metric without <c>_direction</c>).</summary>
public enum MetricDirection
{
    Unknown,
    Down,
    Up,
}

/// <summary>A metric a replica reports, declared with its direction so that a monitoring callback's
/// <c>mode = auto</c> can judge it (Keras reads the direction off the compiled model's metric objects).</summary>
public sealed record MetricDefinition(string Name, MetricDirection Direction)
{
    /// <summary>The training loss every replica reports (Keras's <c>loss</c>: lower is better).</summary>
    public static readonly MetricDefinition Loss = new("loss", MetricDirection.Down);

    /// <summary>The fraction of samples predicted right (Keras's <c>accuracy</c>).</summary>
    public static readonly MetricDefinition Accuracy = new("accuracy", MetricDirection.Up);

    /// <summary>The prefix Keras gives the validation logs (<c>val_loss</c>, ...).</summary>
    public const string ValidationPrefix = "val_";

    /// <summary>The logs a run with these metrics produces, in order: each metric, each again with <c>val_</c>
    /// (when the run validates), and the <c>learning_rate</c> the callbacks add.</summary>
    public static IReadOnlyList<string> Logs(IEnumerable<MetricDefinition> metrics, bool validation = true)
    {
        var names = metrics.Select(m => m.Name).ToList();
        return [.. names, .. validation ? names.Select(n => ValidationPrefix + n) : [], "learning_rate"];
    }
}
