using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Coordinator.Cli;

/// <summary>
/// Command-line parse errors in words: System.CommandLine's own messages name .NET types
/// (<c>System.Nullable`1[System.Int32]</c>); these name the option, the value and what it takes.
/// </summary>
public static class CommandLineErrors
{
    /// <summary>The first parse error as a sentence, or null when the command line parsed.</summary>
    public static string? Describe(ParseResult parse)
    {
        if (parse.Errors.Count == 0) return null;
        var verb = CommandPath(parse.CommandResult);
        if (parse.UnmatchedTokens.Count > 0)
            return $"'{parse.UnmatchedTokens[0]}' is not an option of {verb}; it takes: {OptionList(parse.CommandResult.Command)}";
        foreach (var error in parse.Errors)
            if (Describe(error, parse, verb) is { } text)
                return text;
        return parse.Errors[0].Message;
    }

    private static string? Describe(ParseError error, ParseResult parse, string verb)
    {
        switch (error.SymbolResult)
        {
            case OptionResult { IdentifierToken: null } option:
                return $"{verb} needs {option.Option.Name}: {option.Option.Description}";
            case OptionResult option:
                return Value(option.Option.Name, option.Option.ValueType, option.Tokens);
            case ArgumentResult { Parent: OptionResult option } argument:
                return Value(option.Option.Name, option.Option.ValueType, argument.Tokens);
            case ArgumentResult argument:
                return argument.Tokens.Count == 0
                    ? $"{verb} needs {argument.Argument.Name}: {argument.Argument.Description}"
                    : Value(argument.Argument.Name, argument.Argument.ValueType, argument.Tokens);
            case CommandResult command:
                var c = command.Command;
                if (c.Subcommands.Count > 0 && c.Subcommands.All(s => parse.GetResult(s) is null))
                    return $"{verb} needs a verb: {string.Join(", ", c.Subcommands.Where(s => !s.Hidden).Select(s => s.Name))} ({verb} --help describes them)";
                foreach (var option in c.Options)
                    if (option.Required && parse.GetResult(option) is null)
                        return $"{verb} needs {option.Name}: {option.Description}";
                foreach (var argument in c.Arguments)
                    if (parse.GetResult(argument) is not { Tokens.Count: > 0 })
                        return $"{verb} needs {argument.Name}: {argument.Description}";
                return null;
            default:
                return null;
        }
    }

    private static string Value(string name, Type type, IReadOnlyList<Token> tokens)
    {
        var kind = Nullable.GetUnderlyingType(type) ?? type;
        if (tokens.Count == 0) return $"{name} needs a value: {Kind(kind)}";
        var text = tokens[^1].Value;
        if (kind == typeof(int) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            return $"{name}: '{text}' is too large; a whole number from {int.MinValue} to {int.MaxValue}";
        return $"{name}: '{text}' is not {Kind(kind)}";
    }

    private static string Kind(Type type) =>
        type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(FileInfo) ? "a file path"
        : type == typeof(DirectoryInfo) ? "a folder path"
        : "a value";

    private static string OptionList(Command command) =>
        string.Join(", ", command.Options.Where(o => !o.Hidden).Select(o => o.Name)
            .Concat(command.Subcommands.Where(s => !s.Hidden).Select(s => s.Name)));

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c)
                names.Insert(0, c.Parent is null ? "coordinator" : c.Command.Name);
        return string.Join(" ", names);
    }
}
