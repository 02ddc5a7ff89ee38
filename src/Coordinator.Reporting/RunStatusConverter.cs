using System.Text.Json;
using System.Text.Json.Serialization;
using Coordinator.Core.Reporting;

namespace Coordinator.Reporting;

/// <summary><see cref="RunStatus"/> as <c>summary.json</c> spells it: completed, stopped, failed.</summary>
internal sealed class RunStatusConverter : JsonConverter<RunStatus>
{
    public static string Name(RunStatus status) => status switch
    {
        RunStatus.Completed => "completed",
        RunStatus.Stopped => "stopped",
        RunStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown run status"),
    };

    public override RunStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"status: expected a string, found {reader.TokenType}");
        return reader.GetString() switch
        {
            "completed" => RunStatus.Completed,
            "stopped" => RunStatus.Stopped,
            "failed" => RunStatus.Failed,
            var s => throw new JsonException($"status: \"{s}\" is not one of completed, stopped, failed"),
        };
    }

    public override void Write(Utf8JsonWriter writer, RunStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Name(value));
}
