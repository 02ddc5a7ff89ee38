namespace Coordinator.Configuration;

/// <summary>
/// Checks HOCON's structure before Akka's parser sees the text. That parser accepts much that is
/// not HOCON (a '{' left open at the end, a line of plain words, <c>[section]</c>, a '"' never
/// closed) and loops without end on a '[' left open; here each of these is an error naming the line.
/// Values themselves are left to Akka's parser. <c>include</c> is refused: a run's configuration is one
/// file, whose text the run folder keeps (run.conf).
/// </summary>
internal sealed class HoconSyntax(string text, string source)
{
    private const int MaxDepth = 64;
    private int _i;
    private int _line = 1;

    public static void Check(string text, string source) => new HoconSyntax(text, source).Root();

    private bool AtEnd => _i >= text.Length;

    private char Peek(int ahead = 0) => _i + ahead < text.Length ? text[_i + ahead] : '\0';

    private void Root()
    {
        SkipBlank(newlines: true, commas: false);
        if (Peek() != '{')
        {
            Fields(braced: false, openLine: 0, depth: 0);
            return;
        }
        var open = _line;
        _i++;
        Fields(braced: true, open, depth: 1);
        SkipBlank(newlines: true, commas: false);
        if (!AtEnd) throw Error($"'{Peek()}' after the '}}' that closes the whole file (opened on line {open})");
    }

    private void Fields(bool braced, int openLine, int depth)
    {
        if (depth > MaxDepth) throw Error($"objects nested more than {MaxDepth} deep");
        while (true)
        {
            SkipBlank(newlines: true, commas: true);
            if (AtEnd)
            {
                if (braced) throw Error($"the '{{' opened on line {openLine} is never closed", openLine);
                return;
            }
            switch (Peek())
            {
                case '}' when braced:
                    _i++;
                    return;
                case '}':
                    throw Error("'}' closes nothing");
                case ']':
                    throw Error(braced ? $"']' inside the object opened with '{{' on line {openLine}" : "']' closes nothing");
            }
            if (IsInclude()) throw Error($"{RestOfLine()}: includes are not supported; put those settings in this file");
            var key = Key();
            SkipBlank(newlines: false, commas: false);
            if (Peek() == '{')
            {
                var open = _line;
                _i++;
                Fields(braced: true, open, depth + 1);
            }
            else if (Peek() is '=' or ':' || (Peek() == '+' && Peek(1) == '='))
            {
                _i += Peek() == '+' ? 2 : 1;
                Value(depth);
            }
            else
                throw Error($"'{key}' is not followed by '=', ':' or '{{' (a setting is key = value)");
            SkipBlank(newlines: false, commas: false);
            if (!AtEnd && Peek() is not ('\n' or ',' or '}' or ']'))
                throw Error($"'{Peek()}' after the value of '{key}'; one setting per line, or separate them with ','");
        }
    }

    private string Key()
    {
        var start = _i;
        while (!AtEnd && Peek() is not ('=' or ':' or '{' or '}' or '[' or ']' or ',' or '\n') && !IsComment() && !(Peek() == '+' && Peek(1) == '='))
        {
            if (Peek() == '"') Quoted();
            else _i++;
        }
        var key = text[start.._i].Trim();
        if (key.Length == 0) throw Error($"'{Peek()}' where a setting (key = value) should start");
        return key;
    }

    // A value, possibly a concatenation (text, quoted strings, substitutions, objects, lists), up to the end of its line.
    private void Value(int depth)
    {
        SkipBlank(newlines: true, commas: false);
        var any = false;
        while (!AtEnd && Peek() is not ('\n' or ',' or '}' or ']') && !IsComment())
        {
            switch (Peek())
            {
                case '{':
                    var open = _line;
                    _i++;
                    Fields(braced: true, open, depth + 1);
                    break;
                case '[':
                    List(depth + 1);
                    break;
                case '"':
                    Quoted();
                    break;
                case '$' when Peek(1) == '{':
                    Substitution();
                    break;
                default:
                    _i++;
                    break;
            }
            any = true;
        }
        if (!any) throw Error("a value is missing");
    }

    private void List(int depth)
    {
        if (depth > MaxDepth) throw Error($"lists nested more than {MaxDepth} deep");
        var open = _line;
        _i++;
        while (true)
        {
            SkipBlank(newlines: true, commas: true);
            if (AtEnd) throw Error($"the '[' opened on line {open} is never closed", open);
            if (Peek() == ']')
            {
                _i++;
                return;
            }
            if (Peek() == '}') throw Error($"'}}' inside the list opened with '[' on line {open}");
            Value(depth);
        }
    }

    private void Quoted()
    {
        var line = _line;
        if (Peek(1) == '"' && Peek(2) == '"')
        {
            _i += 3;
            while (!AtEnd && !(Peek() == '"' && Peek(1) == '"' && Peek(2) == '"')) Advance();
            if (AtEnd) throw Error($"the '\"\"\"' string opened on line {line} is never closed", line);
            while (Peek() == '"') _i++; // a triple-quoted string may end with more quotes
            return;
        }
        _i++;
        while (!AtEnd && Peek() is not ('"' or '\n')) _i += Peek() == '\\' ? 2 : 1;
        if (Peek() != '"') throw Error("a quoted string is not closed on its line", line);
        _i++;
    }

    private void Substitution()
    {
        var line = _line;
        while (!AtEnd && Peek() is not ('}' or '\n')) _i++;
        if (Peek() != '}') throw Error("a substitution ${...} is not closed on its line", line);
        _i++;
    }

    private void SkipBlank(bool newlines, bool commas)
    {
        while (!AtEnd)
        {
            var c = Peek();
            if (c is ' ' or '\t' or '\r' or '\uFEFF' || (newlines && c == '\n') || (commas && c == ','))
                Advance();
            else if (IsComment())
                while (!AtEnd && Peek() != '\n') _i++;
            else
                return;
        }
    }

    private void Advance()
    {
        if (text[_i] == '\n') _line++;
        _i++;
    }

    private bool IsComment() => Peek() == '#' || (Peek() == '/' && Peek(1) == '/');

    // HOCON's include: the word, then a quoted name or file(...), url(...), classpath(...), required(...).
    private bool IsInclude()
    {
        if (string.CompareOrdinal(text, _i, "include", 0, 7) != 0) return false;
        var rest = text.AsSpan(_i + 7).TrimStart(" \t");
        return rest.StartsWith("\"") || rest.StartsWith("file(") || rest.StartsWith("url(") || rest.StartsWith("classpath(") || rest.StartsWith("required(");
    }

    private string RestOfLine()
    {
        var end = text.IndexOf('\n', _i);
        return text[_i..(end < 0 ? text.Length : end)].Trim();
    }

    private ConfigurationError Error(string problem, int? line = null) => ConfigurationError.Syntax(source, line ?? _line, problem);
}
