namespace Coordinator.Core.Metrics;

/// <summary>
/// Sums and counts by metric name, in the order names were first seen: what a worker adds up over an
/// epoch's batches, and what the supervisor adds up over the workers' reports. Sums are added in the order
/// they come, so a run's numbers do not depend on anything but that order.
/// </summary>
public sealed class MetricTotals
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (double Sum, long Count)> _totals = new(StringComparer.Ordinal);

    public void Add(IEnumerable<MetricSum> sums)
    {
        foreach (var s in sums) Add(s);
    }

    public void Add(MetricSum sum)
    {
        if (_totals.TryGetValue(sum.Name, out var t)) _totals[sum.Name] = (t.Sum + sum.Sum, t.Count + sum.Count);
        else
        {
            _order.Add(sum.Name);
            _totals[sum.Name] = (0 + sum.Sum, sum.Count);
        }
    }

    /// <summary>The totals as sums, in first-seen order.</summary>
    public IReadOnlyList<MetricSum> Sums => _order.Select(n => new MetricSum(n, _totals[n].Sum, _totals[n].Count)).ToList();

    /// <summary>Each metric's mean (sum / count), named with <paramref name="prefix"/>; metrics no sample was
    /// counted for are left out (there is nothing to average).</summary>
    public IEnumerable<KeyValuePair<string, double>> Means(string prefix = "")
    {
        foreach (var name in _order)
        {
            var (sum, count) = _totals[name];
            if (count > 0) yield return new(prefix + name, sum / count);
        }
    }
}
