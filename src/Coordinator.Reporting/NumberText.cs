using System.Globalization;
using Coordinator.Callbacks.Formatting;

namespace Coordinator.Reporting;

/// <summary>How the coordinator prints numbers, on the console, in reports and in <c>history</c> / <c>runs</c>: as
/// Python would (<c>nan</c>, <c>inf</c>), metrics to four decimals, rates to four significant digits, times as 8.7s or
/// 2m 05s, instants in UTC.</summary>
public static class NumberText
{
    /// <summary><c>'{:.4f}'.format(x)</c>: 0.4123, nan, inf.</summary>
    public static string Metric(double x) => Format("{x:.4f}", x);

    /// <summary><c>'{:.4g}'.format(x)</c>: 0.01, 0.002, 1e-05 (a float32 rate prints as set).</summary>
    public static string Rate(double x) => Format("{x:.4g}", x);

    /// <summary>Seconds of an epoch: <c>'{:.1f}s'.format(x)</c>, 2.1s.</summary>
    public static string Seconds(double seconds) =>
        double.IsFinite(seconds) ? Format("{x:.1f}", seconds) + "s" : "?s";

    /// <summary>A wall time: 12.3s, 2m 05s, 1h 02m 03s.</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return "?";
        if (seconds < 60) return Seconds(seconds);
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
