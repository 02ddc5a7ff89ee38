namespace Coordinator.Core.Reporting;

/// <summary>
/// Metric values by name, in the order the run logged them (as Keras's logs dictionary): what an epoch record
/// and the final metrics hold, whatever metrics the run reports. Compared by content.
/// </summary>
public sealed class NamedValues : IEquatable<NamedValues>
{
    // The parameter is named as the property, so that Newtonsoft.Json (Akka's journal messages) reads it back.
    public NamedValues(IEnumerable<KeyValuePair<string, double>> items) => Items = items.ToList();

    public IReadOnlyList<KeyValuePair<string, double>> Items { get; }

    public IReadOnlyList<string> Names() => Items.Select(i => i.Key).ToList();

    /// <summary>The value of <paramref name="name"/>, or null when the run did not log it.</summary>
    public double? Get(string name)
    {
        foreach (var (key, value) in Items)
            if (key == name) return value;
        return null;
    }

    /// <summary>A copy with <paramref name="name"/> set to <paramref name="value"/> (in its place, or last when new).</summary>
    public NamedValues With(string name, double value) =>
        new(Get(name) is null ? Items.Append(new(name, value)) : Items.Select(i => i.Key == name ? new(name, value) : i));

    /// <summary>The value of <paramref name="name"/>, NaN when the run did not log it.</summary>
    public double this[string name] => Get(name) ?? double.NaN;

    public bool Equals(NamedValues? other) =>
        other is not null && Items.Count == other.Items.Count &&
        Items.Zip(other.Items).All(p => p.First.Key == p.Second.Key && p.First.Value.Equals(p.Second.Value));

    public override bool Equals(object? obj) => Equals(obj as NamedValues);

    public override int GetHashCode() => Items.Aggregate(Items.Count, (h, i) => HashCode.Combine(h, i.Key, i.Value));

    public override string ToString() => string.Join(", ", Items.Select(i => $"{i.Key} {i.Value:R}"));
}
