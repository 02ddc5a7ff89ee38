namespace Coordinator.Configuration;

/// <summary>A configuration value that cannot be used: names the field, the value and what is allowed.</summary>
public sealed class ConfigurationError(string field, string value, string allowed)
    : Exception($"{field} = {value}: {allowed}")
{
    public string Field { get; } = field;
    public string Value { get; } = value;

    public static ConfigurationError Missing(string field, string allowed) => new(field, "(missing)", allowed);
}
