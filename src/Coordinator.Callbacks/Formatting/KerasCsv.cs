using System.Text;

namespace Coordinator.Callbacks.Formatting;

/// <summary>
/// The text Keras's <c>CSVLogger</c> writes: Python's <c>csv</c> excel dialect (CRLF line ends,
/// fields quoted only when needed), an <c>epoch</c> column then the first epoch's keys in sorted
/// order (with a <c>val_</c> twin for each when there are no validation keys), values as Python's
/// <c>str</c>, <c>NA</c> for a key an epoch lacks.
/// </summary>
public static class KerasCsv
{
    public const string LineEnd = "\r\n";

    /// <summary>The columns after <c>epoch</c>, chosen from the first epoch's logs.</summary>
    public static IReadOnlyList<string> KeysFor(IEnumerable<string> firstEpochKeys)
    {
        var keys = firstEpochKeys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (keys.Count > 0 && !keys.Any(k => k.StartsWith("val_", StringComparison.Ordinal)))
            keys.AddRange(keys.Select(k => "val_" + k).ToList());
        return keys;
    }

    public static string Header(IReadOnlyList<string> keys, string separator = ",") =>
        Line(["epoch", .. keys], separator);

    public static string Row(int epoch, IReadOnlyList<string> keys, Func<string, double?> value, string separator = ",") =>
        Line([epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
              .. keys.Select(k => value(k) is { } v ? PythonFloat.Repr(v) : "NA")], separator);

    private static string Line(IEnumerable<string> fields, string separator)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var f in fields)
        {
            if (!first) sb.Append(separator);
            first = false;
            sb.Append(Quote(f, separator));
        }
        return sb.Append(LineEnd).ToString();
    }

    private static string Quote(string field, string separator) =>
        field.Contains(separator) || field.Contains('"') || field.Contains('\r') || field.Contains('\n')
            ? "\"" + field.Replace("\"", "\"\"") + "\""
            : field;
}
