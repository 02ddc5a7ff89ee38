namespace Coordinator.Callbacks.Formatting;

/// <summary>Python's format-spec mini-language:
/// <c>[[fill]align][sign][z][#][0][width][grouping][.precision][type]</c>.</summary>
internal sealed record FormatSpec(
    char Fill, char? Align, char Sign, bool NoNegativeZero, bool Alternate, bool ZeroPad,
    int Width, char? Grouping, int? Precision, char? Type)
{
    public static FormatSpec Parse(string spec)
    {
        var i = 0;
        char fill = ' ';
        char? align = null;
        var explicitFill = false;
        if (spec.Length >= 2 && "<>=^".Contains(spec[1]))
        {
            fill = spec[0];
            align = spec[1];
            explicitFill = true;
            i = 2;
        }
        else if (spec.Length >= 1 && "<>=^".Contains(spec[0]))
        {
            align = spec[0];
            i = 1;
        }
        var sign = '-';
        if (i < spec.Length && "+- ".Contains(spec[i])) sign = spec[i++];
        var noNegZero = i < spec.Length && spec[i] == 'z' && i++ >= 0;
        var alternate = i < spec.Length && spec[i] == '#' && i++ >= 0;
        var zeroPad = i < spec.Length && spec[i] == '0' && i++ >= 0;
        var width = ReadInt(spec, ref i) ?? 0;
        char? grouping = i < spec.Length && (spec[i] == ',' || spec[i] == '_') ? spec[i++] : null;
        int? precision = null;
        if (i < spec.Length && spec[i] == '.')
        {
            i++;
            precision = ReadInt(spec, ref i) ?? throw new PythonFormatException($"Format specifier missing precision in '{spec}'");
        }
        char? type = null;
        if (i < spec.Length) type = spec[i++];
        if (i != spec.Length) throw new PythonFormatException($"Invalid format specifier '{spec}'");
        // Python: the '0' flag pads with zeros unless a fill is given, and implies '=' alignment unless one is.
        if (zeroPad)
        {
            if (!explicitFill) fill = '0';
            align ??= '=';
        }
        return new FormatSpec(fill, align, sign, noNegZero, alternate, zeroPad, width, grouping, precision, type);
    }

    private static int? ReadInt(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        return i == start ? null : int.Parse(s[start..i], System.Globalization.CultureInfo.InvariantCulture);
    }
}
