using System.Globalization;
using Coordinator.Callbacks.Formatting;

namespace Coordinator.Cli.History;

/// <summary>Numbers as the training console prints them (Python's formats): metrics to four decimals,
/// rates to four significant digits, times as 8.7s or 2m 05s, instants in UTC.</summary>
internal static class TextNumbers
{
    public static string Metric(double x) => Format("{x:.4f}", x);

    public static string Rate(double x) => Format("{x:.4g}", x);

    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return "?";
        if (seconds < 60) return Format("{x:.1f}", seconds) + "s";
        var whole = (long)Math.Round(seconds, MidpointRounding.AwayFromZero);
        var (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
        return h > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{h}h {m:00}m {s:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{m}m {s:00}s");
    }

    /// <summary>An instant in UTC: <c>2026-11-29 22:19:53Z</c>.</summary>
    public static string Instant(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The first 12 hex digits of a SHA-256 (enough to tell files apart by eye).</summary>
    public static string Sha(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;

    public static string Integer(long x) => x.ToString(CultureInfo.InvariantCulture);

    private static string Format(string template, double x) =>
        PythonFormat.Format(template, new Dictionary<string, object> { ["x"] = x });
}
