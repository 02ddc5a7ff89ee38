using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Callbacks.State;

/// <summary>Source-generated JSON for callback state (infinities and NaN allowed: a best value
/// can be NaN, and states written before Keras 3.16's rule start from ±inf).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(EngineState))]
[JsonSerializable(typeof(CallbackState))]
[JsonSerializable(typeof(EarlyStoppingState))]
[JsonSerializable(typeof(ReduceLrOnPlateauState))]
[JsonSerializable(typeof(ModelCheckpointState))]
[JsonSerializable(typeof(StatelessCallbackState))]
[JsonSerializable(typeof(CsvLoggerState))]
public sealed partial class CallbackJsonContext : JsonSerializerContext
{
    public static string Serialize(EngineState state) => JsonSerializer.Serialize(state, Default.EngineState);

    public static EngineState Deserialize(string json) =>
        JsonSerializer.Deserialize(json, Default.EngineState)
        ?? throw new JsonException("callback engine state: the JSON was null");
}
