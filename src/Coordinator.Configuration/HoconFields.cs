using System.Globalization;
using Akka.Configuration.Hocon;

namespace Coordinator.Configuration;

/// <summary>
/// Typed, checked reads from one HOCON object. Keys may be written in kebab-case or in Keras's
/// snake_case. Every read marks its key as known; <see cref="RejectUnknown"/> then names any
/// key the object has that nothing read.
/// </summary>
/// <remarks>Akka's HOCON parser keeps every scalar as text and reads <c>null</c> as an empty
/// string, so an empty value means null here.</remarks>
public sealed class HoconFields
{
    private readonly Dictionary<string, (string Key, HoconValue Value)> _items = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public HoconFields(string path, HoconObject obj)
    {
        Path = path;
        foreach (var (key, value) in obj.Items)
        {
            var normal = Normalize(key);
            if (_items.ContainsKey(normal))
                throw new ConfigurationError($"{path}.{key}", Show(value), $"is given twice (as {_items[normal].Key} and {key})");
            _items[normal] = (key, value);
        }
    }

    public string Path { get; }

    public static string Normalize(string key) => key.Replace('_', '-');

    public string FieldPath(string key) => $"{Path}.{key}";

    public bool Has(string key)
    {
        _known.Add(key);
        return _items.TryGetValue(key, out var item) && !IsNull(item.Value);
    }

    public string? String(string key)
    {
        _known.Add(key);
        if (!_items.TryGetValue(key, out var item) || IsNull(item.Value)) return null;
        if (!item.Value.IsString())
            throw new ConfigurationError(FieldPath(key), Show(item.Value), "must be a text value");
        return item.Value.GetString();
    }

    /// <summary>Like <see cref="String(string)"/>, but a key given as "" (or null) reads as "", not as left out.</summary>
    public string? StringOrEmpty(string key) =>
        String(key) ?? (_items.TryGetValue(key, out var item) && item.Value.IsString() ? "" : null);

    public string RequireString(string key, string allowed) =>
        String(key) ?? throw ConfigurationError.Missing(FieldPath(key), allowed);

    public double? Double(string key)
    {
        var text = String(key);
        if (text is null) return null;
        var t = text.Trim();
        switch (t)
        {
            case "inf" or "Infinity" or "+inf" or "+Infinity": return double.PositiveInfinity;
            case "-inf" or "-Infinity": return double.NegativeInfinity;
            case "nan" or "NaN": return double.NaN;
        }
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        throw new ConfigurationError(FieldPath(key), text, "must be a number");
    }

    public double Double(string key, double fallback) => Double(key) ?? fallback;

    public int? Int(string key)
    {
        var text = String(key);
        if (text is null) return null;
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d))
        {
            if (d >= int.MinValue && d <= int.MaxValue) return (int)d;
            throw new ConfigurationError(FieldPath(key), text, $"is too large: must be a whole number from {int.MinValue} to {int.MaxValue}");
        }
        throw new ConfigurationError(FieldPath(key), text, "must be a whole number");
    }

    public int Int(string key, int fallback) => Int(key) ?? fallback;

    public long? Long(string key)
    {
        var text = String(key);
        if (text is null) return null;
        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
        if (BigIntegerText(text.Trim()))
            throw new ConfigurationError(FieldPath(key), text, $"is too large: must be a whole number from {long.MinValue} to {long.MaxValue}");
        throw new ConfigurationError(FieldPath(key), text, "must be a whole number");
    }

    public bool Bool(string key, bool fallback)
    {
        var text = String(key);
        if (text is null) return fallback;
        return text.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw new ConfigurationError(FieldPath(key), text, "must be true or false"),
        };
    }

    public HoconFields? Object(string key)
    {
        _known.Add(key);
        if (!_items.TryGetValue(key, out var item) || IsNull(item.Value)) return null;
        if (!item.Value.IsObject())
            throw new ConfigurationError(FieldPath(key), Show(item.Value), "must be an object { ... }");
        return new HoconFields(FieldPath(key), item.Value.GetObject());
    }

    public IReadOnlyList<string>? List(string key)
    {
        _known.Add(key);
        if (!_items.TryGetValue(key, out var item) || IsNull(item.Value)) return null;
        if (IsEmptyList(item.Value)) return [];
        if (!item.Value.IsArray())
            throw new ConfigurationError(FieldPath(key), Show(item.Value), "must be a list [ ... ]");
        return item.Value.GetArray().Select(v => v.IsString()
            ? v.GetString()
            : throw new ConfigurationError(FieldPath(key), Show(item.Value), "must be a list of numbers")).ToList();
    }

    public IReadOnlyList<double>? DoubleList(string key) =>
        List(key)?.Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ConfigurationError(FieldPath(key), t, "must be a list of numbers")).ToList();

    public IReadOnlyList<int>? IntList(string key) =>
        List(key)?.Select(t => int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new ConfigurationError(FieldPath(key), t, BigIntegerText(t.Trim())
                ? $"is too large: must be a list of whole numbers from {int.MinValue} to {int.MaxValue}"
                : "must be a list of whole numbers")).ToList();

    private static bool BigIntegerText(string t) =>
        System.Numerics.BigInteger.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>Fails on the first key that no read asked for, listing the keys allowed.</summary>
    public void RejectUnknown(string what)
    {
        foreach (var (normal, (key, value)) in _items)
            if (!_known.Contains(normal))
                throw new ConfigurationError(FieldPath(key), Show(value),
                    $"unknown setting for {what}; allowed: {string.Join(", ", _known.OrderBy(k => k, StringComparer.Ordinal))}");
    }

    /// <summary>Akka's parser does not report <c>[]</c> as an array.</summary>
    public static bool IsEmptyList(HoconValue v) => v.Values is [HoconArray { Count: 0 }];

    private static bool IsNull(HoconValue v) => v.IsString() && string.IsNullOrEmpty(v.GetString());

    private static string Show(HoconValue v) =>
        v.IsString() ? (string.IsNullOrEmpty(v.GetString()) ? "null" : v.GetString()) : v.IsObject() ? "{ ... }" : v.IsArray() ? "[ ... ]" : v.ToString();
}
