using System.Globalization;
using System.Text.RegularExpressions;

namespace Coordinator.Cli.Node;

/// <summary>Parsers for the value kinds node settings use; each returns null when the text is not of its kind.</summary>
public static partial class NodeValues
{
    public const string DurationAllowed = "a positive duration with a unit, at most 24 days (Akka's timers count int milliseconds): 500ms, 2s, 1.5m, 1h";

    public static TimeSpan? Duration(string text)
    {
        var m = DurationPattern().Match(text.Trim());
        if (!m.Success) return null;
        if (!double.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return null;
        double? ms = m.Groups[2].Value switch
        {
            "ms" => amount,
            "s" => amount * 1000,
            "m" => amount * 60_000,
            "h" => amount * 3_600_000,
            _ => null,
        };
        return ms is > 0 and <= int.MaxValue ? TimeSpan.FromMilliseconds(ms.Value) : null;
    }

    /// <summary>A duration in the form HOCON reads back exactly: whole seconds, else whole milliseconds.</summary>
    public static string Hocon(TimeSpan span)
    {
        var ms = (long)Math.Round(span.TotalMilliseconds);
        return ms % 1000 == 0 ? $"{ms / 1000}s" : $"{ms}ms";
    }

    public static int? Port(string text, int min) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port >= min && port <= 65535 ? port : null;

    /// <summary>A DNS name or an IP address (IPv6 without brackets).</summary>
    public static bool IsHost(string text) =>
        text.Length > 0 && Uri.CheckHostName(text) != UriHostNameType.Unknown;

    /// <summary><c>host:port</c>, or <c>[ipv6]:port</c>.</summary>
    public static SeedNode? Seed(string text)
    {
        var t = text.Trim();
        string host, port;
        if (t.StartsWith('['))
        {
            var close = t.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0) return null;
            host = t[1..close];
            port = t[(close + 2)..];
        }
        else
        {
            var colon = t.LastIndexOf(':');
            if (colon <= 0 || t.IndexOf(':') != colon) return null;
            host = t[..colon];
            port = t[(colon + 1)..];
        }
        return IsHost(host) && Port(port, 1) is { } p ? new SeedNode(host, p) : null;
    }

    public static bool? Switch(string text) => text.Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "yes" or "1" => true,
        "off" or "false" or "no" or "0" => false,
        _ => null,
    };

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)$")]
    private static partial Regex DurationPattern();
}
