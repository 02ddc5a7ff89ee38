using System.Globalization;
using System.Text;

namespace Coordinator.Callbacks.Formatting;

/// <summary>
/// Python's <c>str.format</c> with keyword arguments, as Keras fills ModelCheckpoint's
/// <c>filepath</c>: <c>{epoch:02d}</c>, <c>{val_loss:.4f}</c>, <c>{loss}</c> (Python's repr),
/// <c>{{</c> and <c>}}</c>. Values are integers (<see cref="long"/>) or floats (<see cref="double"/>).
/// </summary>
public static class PythonFormat
{
    public static string Format(string template, IReadOnlyDictionary<string, object> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}') { sb.Append('}'); i++; continue; }
                throw new PythonFormatException($"Single '}}' encountered in format string '{template}'");
            }
            if (c != '{') { sb.Append(c); continue; }
            if (i + 1 < template.Length && template[i + 1] == '{') { sb.Append('{'); i++; continue; }

            var end = FieldEnd(template, i);
            var field = template[(i + 1)..end];
            sb.Append(FormatField(field, template, args));
            i = end;
        }
        return sb.ToString();
    }

    /// <summary>The field names a template uses, in order (for validating a template up front).</summary>
    public static IReadOnlyList<string> FieldNames(string template)
    {
        var names = new List<string>();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '{') continue;
            if (i + 1 < template.Length && template[i + 1] == '{') { i++; continue; }
            var end = FieldEnd(template, i);
            names.Add(SplitField(template[(i + 1)..end]).Name);
            i = end;
        }
        return names;
    }

    private static int FieldEnd(string template, int open)
    {
        var depth = 0;
        for (var j = open + 1; j < template.Length; j++)
        {
            if (template[j] == '{') depth++;
            else if (template[j] == '}')
            {
                if (depth == 0) return j;
                depth--;
            }
        }
        throw new PythonFormatException($"Single '{{' encountered in format string '{template}'");
    }

    private static (string Name, char? Conversion, string Spec) SplitField(string field)
    {
        var colon = field.IndexOf(':');
        var head = colon < 0 ? field : field[..colon];
        var spec = colon < 0 ? "" : field[(colon + 1)..];
        char? conversion = null;
        var bang = head.IndexOf('!');
        if (bang >= 0)
        {
            if (bang != head.Length - 2) throw new PythonFormatException($"expected ':' after conversion specifier in '{{{field}}}'");
            conversion = head[^1];
            head = head[..bang];
        }
        return (head, conversion, spec);
    }

    private static string FormatField(string field, string template, IReadOnlyDictionary<string, object> args)
    {
        var (name, conversion, spec) = SplitField(field);
        if (name.Length == 0 || name.All(char.IsAsciiDigit))
            throw new PythonFormatException($"'{template}' uses a positional field {{{name}}}; only named fields such as {{epoch}} are given");
        if (name.IndexOfAny(['.', '[']) >= 0)
            throw new PythonFormatException($"'{template}' uses attribute or index access in {{{name}}}, which is not supported");
        if (spec.Contains('{'))
            throw new PythonFormatException($"'{template}' nests a field inside a format spec, which is not supported");
        if (!args.TryGetValue(name, out var value)) throw new PythonFormatKeyException(name, template);

        if (conversion is not null)
        {
            if (conversion is not ('r' or 's' or 'a'))
                throw new PythonFormatException($"Unknown conversion specifier {conversion} in '{template}'");
            return FormatString(Str(value), FormatSpec.Parse(spec), field);
        }
        var parsed = FormatSpec.Parse(spec);
        return value switch
        {
            long l => FormatInteger(l, parsed, field),
            int n => FormatInteger(n, parsed, field),
            double d => FormatFloat(d, parsed, field),
            string s => FormatString(s, parsed, field),
            _ => throw new PythonFormatException($"cannot format a {value.GetType().Name} in {{{field}}}"),
        };
    }

    private static string Str(object value) => value switch
    {
        double d => PythonFloat.Repr(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string FormatString(string s, FormatSpec spec, string field)
    {
        if (spec.Type is not (null or 's')) throw new PythonFormatException($"Unknown format code '{spec.Type}' for object of type 'str' in {{{field}}}");
        if (spec.Precision is { } p && s.Length > p) s = s[..p];
        return Pad(s, "", spec with { Align = spec.Align ?? '<' });
    }

    private static string FormatInteger(long value, FormatSpec spec, string field)
    {
        switch (spec.Type)
        {
            case 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or '%':
                return FormatFloat(value, spec, field);
            case null or 'd' or 'n' or 'x' or 'X' or 'o' or 'b':
                break;
            default:
                throw new PythonFormatException($"Unknown format code '{spec.Type}' for object of type 'int' in {{{field}}}");
        }
        if (spec.Precision is not null) throw new PythonFormatException($"Precision not allowed in integer format specifier in {{{field}}}");
        var magnitude = (ulong)Math.Abs((decimal)value);
        var body = spec.Type switch
        {
            'x' => magnitude.ToString("x", CultureInfo.InvariantCulture),
            'X' => magnitude.ToString("X", CultureInfo.InvariantCulture),
            'o' => Convert.ToString((long)magnitude, 8),
            'b' => Convert.ToString((long)magnitude, 2),
            _ => magnitude.ToString(CultureInfo.InvariantCulture),
        };
        if (spec.Alternate && spec.Type is 'x' or 'X' or 'o' or 'b') body = "0" + spec.Type switch { 'X' => 'X', var t => t } + body;
        var prefix = "";
        if (spec.Alternate && spec.Type is 'x' or 'X' or 'o' or 'b')
        {
            prefix = body[..2];
            body = body[2..];
        }
        var sign = SignOf(value < 0, spec);
        if (spec.Grouping is { } g)
            body = GroupPadded(body, g, spec.Type is 'x' or 'X' or 'o' or 'b' ? 4 : 3, spec, sign.Length + prefix.Length);
        return Pad(prefix + body, sign, spec);
    }

    private static string FormatFloat(double value, FormatSpec spec, string field)
    {
        var type = spec.Type;
        if (type is not (null or 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or '%' or 'n'))
            throw new PythonFormatException($"Unknown format code '{type}' for object of type 'float' in {{{field}}}");
        var negative = double.IsNegative(value) && !double.IsNaN(value);
        var body = FloatBody(Math.Abs(value), spec, type);
        if (negative && spec.NoNegativeZero && IsZero(body)) negative = false;
        var sign = SignOf(negative, spec);
        if (spec.Grouping is { } g && double.IsFinite(value))
        {
            var cut = body.IndexOfAny(['.', 'e', 'E', '%']);
            var tail = cut < 0 ? "" : body[cut..];
            body = GroupPadded(cut < 0 ? body : body[..cut], g, 3, spec, sign.Length + tail.Length) + tail;
        }
        return Pad(body, sign, spec);
    }

    private static string FloatBody(double x, FormatSpec spec, char? type)
    {
        var upper = type is 'E' or 'F' or 'G';
        if (!double.IsFinite(x))
        {
            var word = double.IsNaN(x) ? "nan" : "inf";
            return (upper ? word.ToUpperInvariant() : word) + (type == '%' ? "%" : "");
        }
        switch (type)
        {
            case 'f' or 'F':
                return Alt(PythonFloat.Fixed(x, spec.Precision ?? 6), spec);
            case 'e' or 'E':
                return Exp(x, spec.Precision ?? 6, spec.Alternate, upper);
            case '%':
                var percent = x * 100;
                return (double.IsFinite(percent) ? Alt(PythonFloat.Fixed(percent, spec.Precision ?? 6), spec) : "inf") + "%";
            case 'g' or 'G' or 'n':
                return General(x, spec.Precision ?? 6, spec.Alternate, upper, keepOneDecimal: false);
            default:
                return spec.Precision is { } p ? General(x, p, spec.Alternate, upper: false, keepOneDecimal: true) : PythonFloat.Repr(x);
        }
    }

    private static bool IsZero(string body)
    {
        var cut = body.IndexOfAny(['e', 'E', '%']);
        return (cut < 0 ? body : body[..cut]).All(ch => ch is '0' or '.');
    }

    private static string Alt(string fixedText, FormatSpec spec) =>
        spec.Alternate && !fixedText.Contains('.') ? fixedText + "." : fixedText;

    private static string Exp(double x, int precision, bool alternate, bool upper)
    {
        var (digits, exponent) = PythonFloat.Scientific(x, precision);
        var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits + (alternate ? "." : "");
        return mantissa + (upper ? "E" : "e") + PythonFloat.Exponent(exponent);
    }

    // Python's 'g' (and the no-type form with a precision, which keeps one decimal in fixed
    // notation and switches to exponent notation one digit earlier).
    private static string General(double x, int precision, bool alternate, bool upper, bool keepOneDecimal)
    {
        var p = precision == 0 ? 1 : precision;
        var (_, exp) = PythonFloat.Scientific(x, p - 1);
        var limit = keepOneDecimal ? p - 1 : p;
        string text;
        if (exp >= -4 && exp < limit)
        {
            text = PythonFloat.Fixed(x, Math.Max(p - 1 - exp, 0));
            if (!alternate && text.Contains('.')) text = text.TrimEnd('0').TrimEnd('.');
            if (alternate && !text.Contains('.')) text += ".";
            if (keepOneDecimal && !text.Contains('.')) text += ".0";
        }
        else
        {
            var (digits, e) = PythonFloat.Scientific(x, p - 1);
            var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            if (!alternate && mantissa.Contains('.')) mantissa = mantissa.TrimEnd('0').TrimEnd('.');
            if (alternate && !mantissa.Contains('.')) mantissa += ".";
            text = mantissa + (upper ? "E" : "e") + PythonFloat.Exponent(e);
        }
        return text;
    }

    private static string SignOf(bool negative, FormatSpec spec) =>
        negative ? "-" : spec.Sign switch { '+' => "+", ' ' => " ", _ => "" };

    private static string Group(string digits, char separator, int size)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            if (i > 0 && (digits.Length - i) % size == 0) sb.Append(separator);
            sb.Append(digits[i]);
        }
        return sb.ToString();
    }

    // Python zero-pads inside the grouping: format(1234, '08,d') == '0,001,234'.
    private static string GroupPadded(string digits, char separator, int size, FormatSpec spec, int otherLength)
    {
        if (spec.Fill == '0' && spec.Align == '=')
        {
            var target = spec.Width - otherLength;
            while (digits.Length + (digits.Length - 1) / size < target) digits = "0" + digits;
        }
        return Group(digits, separator, size);
    }

    private static string Pad(string body, string sign, FormatSpec spec)
    {
        var length = sign.Length + body.Length;
        if (length >= spec.Width) return sign + body;
        var padding = new string(spec.Fill, spec.Width - length);
        return (spec.Align ?? '>') switch
        {
            '<' => sign + body + padding,
            '=' => sign + padding + body,
            '^' => padding[..(padding.Length / 2)] + sign + body + padding[(padding.Length / 2)..],
            _ => padding + sign + body,
        };
    }
}
