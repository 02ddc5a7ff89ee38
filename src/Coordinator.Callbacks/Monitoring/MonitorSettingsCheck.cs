using System.Globalization;

namespace Coordinator.Callbacks.Monitoring;

/// <summary>Checks the numbers a monitoring callback compares with. Keras accepts NaN or an
/// infinity there, and then no comparison ever holds (NaN) or none can fail: refused here.</summary>
internal static class MonitorSettingsCheck
{
    public static void Finite(string callback, string field, double? value)
    {
        if (value is { } v && !double.IsFinite(v))
            throw new CallbackConfigurationException(callback, field, v.ToString(CultureInfo.InvariantCulture),
                "must be a finite number (with NaN or an infinity no value would ever compare as an improvement, or every one would)");
    }
}
