namespace Coordinator.Callbacks;

/// <summary>A callback setting that cannot be used; names the callback, the field and the value.</summary>
public sealed class CallbackConfigurationException(string callback, string field, string value, string problem)
    : Exception($"{callback}: {field} = {value}: {problem}")
{
    public string Callback { get; } = callback;
    public string Field { get; } = field;
    public string Value { get; } = value;
}
