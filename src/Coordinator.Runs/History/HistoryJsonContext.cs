using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Cli.History;

/// <summary>Source-generated JSON for <c>history --json</c> and <c>runs --json</c>: snake_case names,
/// NaN and infinities as <c>null</c> (as summary.json writes them).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    WriteIndented = true,
    Converters = [typeof(NullForNonFiniteConverter)])]
[JsonSerializable(typeof(IReadOnlyList<HistoryEntry>))]
[JsonSerializable(typeof(IReadOnlyList<RunListing>))]
[JsonSerializable(typeof(string))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;

/// <summary>Writes NaN and infinities as <c>null</c>, reads <c>null</c> back as NaN.</summary>
internal sealed class NullForNonFiniteConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}
