using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Coordinator.Core.Reporting;

/// <summary><see cref="FinalMetrics"/> as an object of its logs: <c>{"loss": 0.03, "accuracy": 0.99, ...}</c>.</summary>
public sealed class FinalMetricsJson : JsonConverter<FinalMetrics>
{
    public override FinalMetrics Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var logs = new List<KeyValuePair<string, double>>();
        RecordJson.Start(ref reader);
        while (RecordJson.Next(ref reader) is { } name) logs.Add(new(name, RecordJson.Number(ref reader, options)));
        return new FinalMetrics(new NamedValues(logs));
    }

    public override void Write(Utf8JsonWriter writer, FinalMetrics value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        RecordJson.Write(writer, value.Logs, options);
        writer.WriteEndObject();
    }
}

/// <summary><see cref="EpochRecord"/> as summary.json's history holds it: <c>epoch</c>, <c>lr</c>, the epoch's
/// logs in their order, <c>seconds</c>.</summary>
public sealed class EpochRecordJson : JsonConverter<EpochRecord>
{
    public override EpochRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var (epoch, lr, seconds) = (0, double.NaN, double.NaN);
        var logs = new List<KeyValuePair<string, double>>();
        RecordJson.Start(ref reader);
        while (RecordJson.Next(ref reader) is { } name)
            switch (name)
            {
                case "epoch": epoch = reader.GetInt32(); break;
                case "lr": lr = RecordJson.Number(ref reader, options); break;
                case "seconds": seconds = RecordJson.Number(ref reader, options); break;
                default: logs.Add(new(name, RecordJson.Number(ref reader, options))); break;
            }
        return new EpochRecord(epoch, lr, new NamedValues(logs), seconds);
    }

    public override void Write(Utf8JsonWriter writer, EpochRecord value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("epoch", value.Epoch);
        RecordJson.Write(writer, "lr", value.Lr, options);
        RecordJson.Write(writer, value.Logs, options);
        RecordJson.Write(writer, "seconds", value.Seconds, options);
        writer.WriteEndObject();
    }
}

/// <summary>Reading and writing named numbers; each number as the options write a double (summary.json:
/// non-finite as null; the journal: as <c>NaN</c> and <c>Infinity</c>).</summary>
internal static class RecordJson
{
    public static void Start(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"expected an object, found {reader.TokenType}");
    }

    /// <summary>The next member's name, with the reader moved onto its value; null at the object's end.</summary>
    public static string? Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new JsonException("the object is cut off");
        if (reader.TokenType == JsonTokenType.EndObject) return null;
        var name = reader.GetString() ?? throw new JsonException("a member without a name");
        if (!reader.Read()) throw new JsonException($"'{name}' has no value");
        return name;
    }

    public static double Number(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, Double(options));

    public static void Write(Utf8JsonWriter writer, string name, double value, JsonSerializerOptions options)
    {
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, value, Double(options));
    }

    public static void Write(Utf8JsonWriter writer, NamedValues values, JsonSerializerOptions options)
    {
        foreach (var (name, value) in values.Items) Write(writer, name, value, options);
    }

    private static JsonTypeInfo<double> Double(JsonSerializerOptions options) => (JsonTypeInfo<double>)options.GetTypeInfo(typeof(double));
}
