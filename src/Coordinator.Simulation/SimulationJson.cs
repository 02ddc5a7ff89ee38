using System.Text;
using System.Text.Json;
using Coordinator.Callbacks;
using Coordinator.Core.Reporting;

namespace Coordinator.Simulation;

/// <summary>
/// The JSON lines <c>simulate</c> prints. Numbers are written as the shortest text that reads
/// back to the same double; a non-finite <c>best</c> is written as Python's json module writes
/// it (<c>Infinity</c>, <c>-Infinity</c>, <c>NaN</c>).
/// </summary>
public static class SimulationJson
{
    public static string EpochLine(SimulatedEpoch e) => Write(w =>
    {
        w.WriteNumber("epoch", e.Epoch);
        w.WriteNumber("lr", e.LearningRate);
        w.WriteNumber("lr_after", e.LearningRateAfter);
        w.WriteBoolean("stop", e.Stop);
        w.WriteStartArray("saved");
        foreach (var s in e.Saved) w.WriteStringValue(s);
        w.WriteEndArray();
    });

    public static string FinalLine(SimulationSummary s) => Write(w =>
    {
        w.WriteBoolean("final", true);
        w.WriteNumber("epochs_run", s.EpochsRun);
        Nullable(w, "stopped_epoch", s.StoppedEpoch);
        if (s.StopReason is { } r)
        {
            w.WriteString("stop_reason", EpochNumbering.ToFile(r.Message)); // JSON counts epochs from 0, the sentence included
            w.WriteString("stop_kind", Kebab(r.Kind.ToString()));
            w.WriteString("stop_source", r.Source);
        }
        else
        {
            w.WriteNull("stop_reason");
            w.WriteNull("stop_kind");
            w.WriteNull("stop_source");
        }
        Nullable(w, "restored_weights_epoch", s.RestoredWeightsEpoch);
        w.WritePropertyName("best");
        Number(w, s.Best);
    });

    private static void Nullable(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Number(Utf8JsonWriter w, double? value)
    {
        if (value is not { } v) w.WriteNullValue();
        else if (double.IsNaN(v)) w.WriteRawValue("NaN", skipInputValidation: true);
        else if (double.IsPositiveInfinity(v)) w.WriteRawValue("Infinity", skipInputValidation: true);
        else if (double.IsNegativeInfinity(v)) w.WriteRawValue("-Infinity", skipInputValidation: true);
        else w.WriteNumberValue(v);
    }

    private static string Kebab(string pascal)
    {
        var sb = new StringBuilder();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && sb.Length > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
