namespace Coordinator.Cli.Node;

/// <summary>
/// A node setting that cannot be used. The message names the field by flag and variable, where the
/// value came from, the value (secrets masked by the caller) and what is allowed:
/// <c>--port / COORDINATOR_PORT = "abc" (from COORDINATOR_PORT): a whole number from 0 to 65535</c>.
/// </summary>
public sealed class NodeOptionError(NodeField field, string value, string source, string allowed)
    : Exception(source.Length == 0
        ? $"{field.Names} = {value}: {allowed}"
        : $"{field.Names} = {value} ({source}): {allowed}")
{
    public NodeField Field { get; } = field;

    public static NodeOptionError Missing(NodeField field, string allowed) => new(field, "(not set)", "", allowed);
}
