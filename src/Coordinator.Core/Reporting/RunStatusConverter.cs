using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Core.Reporting;

/// <summary><see cref="RunStatus"/> in JSON by its name (<see cref="RunStatusNames"/>): completed, stopped, failed, ….</summary>
public sealed class RunStatusConverter : JsonConverter<RunStatus>
{
    public override RunStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"status: expected a string, found {reader.TokenType}");
        var name = reader.GetString();
        return RunStatusNames.Parse(name) ?? throw new JsonException(
            $"status: \"{name}\" is not one of {string.Join(", ", Enum.GetValues<RunStatus>().Select(s => s.Name()))}");
    }

    public override void Write(Utf8JsonWriter writer, RunStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Name());
}
