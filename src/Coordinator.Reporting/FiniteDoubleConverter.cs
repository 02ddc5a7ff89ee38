using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Reporting;

/// <summary>Doubles for <c>summary.json</c>: NaN and infinities become <c>null</c> (JSON has no
/// such numbers), and <c>null</c> reads back as NaN (or as <c>null</c> for a <c>double?</c>).</summary>
internal sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => double.NaN,
            JsonTokenType.Number => reader.GetDouble(),
            JsonTokenType.String => ParseNamed(reader.GetString()),
            _ => throw new JsonException($"expected a number or null, found {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }

    // Lenient on input: files written by other tools may carry Python's or .NET's names.
    private static double ParseNamed(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "nan" => double.NaN,
        "inf" or "infinity" or "+inf" or "+infinity" => double.PositiveInfinity,
        "-inf" or "-infinity" => double.NegativeInfinity,
        { } s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
        _ => throw new JsonException($"expected a number, found \"{text}\""),
    };
}
