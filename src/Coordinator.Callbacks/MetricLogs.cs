using System.Collections;

namespace Coordinator.Callbacks;

/// <summary>
/// The logs dictionary Keras passes to callbacks: metric name to value, in insertion order
/// (Keras prints "Available metrics are: ..." in that order). Callbacks may add to it, as
/// ReduceLROnPlateau and LearningRateScheduler add <c>learning_rate</c>.
/// </summary>
public sealed class MetricLogs : IEnumerable<KeyValuePair<string, double>>
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    public MetricLogs() { }

    public MetricLogs(IEnumerable<KeyValuePair<string, double>> values)
    {
        foreach (var (k, v) in values) this[k] = v;
    }

    public double this[string key]
    {
        get => _values[key];
        set
        {
            if (!_values.ContainsKey(key)) _order.Add(key);
            _values[key] = value;
        }
    }

    public IReadOnlyList<string> Keys => _order;

    public int Count => _order.Count;

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, out double value) => _values.TryGetValue(key, out value);

    public double? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    public MetricLogs Copy() => new(this);

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, double>(k, _values[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Keys joined by commas, as Keras lists them in its missing-metric warnings.</summary>
    public string KeyList => string.Join(",", _order);
}
