using Akka.Configuration;

namespace Coordinator.Configuration;

/// <summary>HOCON text to an Akka <see cref="Config"/>, strictly: its structure checked first
/// (<see cref="HoconSyntax"/>), and every failure a <see cref="ConfigurationError"/> naming <c>source</c>.</summary>
public static class HoconText
{
    public static Config Parse(string text, string source)
    {
        HoconSyntax.Check(text, source);
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not ConfigurationError)
        {
            throw ConfigurationError.Syntax(source, null, e.Message);
        }
    }

    /// <summary>The file's text, parsed; a file that cannot be read is an error naming <paramref name="field"/>.</summary>
    public static (string Text, Config Config) ReadFile(string path, string field)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationError(field, path, $"cannot be read: {e.Message}");
        }
        return (text, Parse(text, path));
    }
}
