namespace Coordinator.Callbacks.Formatting;

/// <summary>A template that Python's <c>str.format</c> would reject.</summary>
public class PythonFormatException(string message) : Exception(message);

/// <summary>The template names a field that was not given (Python's <c>KeyError</c>).</summary>
public sealed class PythonFormatKeyException(string key, string template)
    : PythonFormatException($"'{template}' names {{{key}}}, which is not given")
{
    public string Key { get; } = key;
}
