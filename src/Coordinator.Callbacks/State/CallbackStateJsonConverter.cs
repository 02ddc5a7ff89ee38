using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Callbacks.State;

/// <summary>
/// Writes a <see cref="CallbackState"/> as <c>{"type": DISCRIMINATOR, ...its properties}</c> and reads it back
/// through <see cref="CallbackStateTypes"/>, so that states of callbacks registered after this library was built
/// are stored and restored as the built-ins' are (which keep the form source-generated polymorphism wrote).
/// </summary>
public sealed class CallbackStateJsonConverter : JsonConverter<CallbackState>
{
    public override void Write(Utf8JsonWriter writer, CallbackState value, JsonSerializerOptions options)
    {
        var entry = CallbackStateTypes.Find(value.GetType()) ?? throw new JsonException(
            $"the callback state {value.GetType().FullName} is not registered, so it cannot be stored; register its " +
            $"callback (CallbackRegistry.Register) or the state (CallbackStateTypes.Register)");
        writer.WriteStartObject();
        writer.WriteString(CallbackStateTypes.Discriminator, entry.Discriminator);
        foreach (var property in JsonSerializer.SerializeToElement(value, entry.Json).EnumerateObject())
            property.WriteTo(writer);
        writer.WriteEndObject();
    }

    public override CallbackState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty(CallbackStateTypes.Discriminator, out var type) || type.ValueKind != JsonValueKind.String)
            throw new JsonException($"a stored callback state must be an object with a \"{CallbackStateTypes.Discriminator}\"; got {Shorten(root.GetRawText())}");
        var name = type.GetString()!;
        var entry = CallbackStateTypes.Find(name) ?? throw new JsonException(
            $"stored callback state of type \"{name}\" is not registered in this process (registered: " +
            $"{string.Join(", ", CallbackStateTypes.Discriminators)}); register the callback that wrote it before resuming");
        return (CallbackState)(root.Deserialize(entry.Json)
            ?? throw new JsonException($"stored callback state of type \"{name}\" is null"));
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
