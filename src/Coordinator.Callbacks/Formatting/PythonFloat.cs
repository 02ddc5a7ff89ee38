using System.Globalization;
using System.Numerics;

namespace Coordinator.Callbacks.Formatting;

/// <summary>
/// Python's text for floats: <c>repr</c> (shortest round-trip digits, Python's switch to
/// exponent notation) and exactly rounded fixed and exponent forms, rounding the exact binary
/// value half to even as CPython does (<c>'%.2f' % 0.125 == '0.12'</c>).
/// </summary>
public static class PythonFloat
{
    /// <summary><c>repr(x)</c> / <c>str(x)</c> for a Python float.</summary>
    public static string Repr(double x)
    {
        if (double.IsNaN(x)) return "nan";
        if (double.IsPositiveInfinity(x)) return "inf";
        if (double.IsNegativeInfinity(x)) return "-inf";
        if (x == 0) return double.IsNegative(x) ? "-0.0" : "0.0";

        var (digits, decpt) = ShortestDigits(Math.Abs(x));
        var sign = x < 0 ? "-" : "";
        if (decpt <= -4 || decpt > 16)
        {
            var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return sign + mantissa + "e" + Exponent(decpt - 1);
        }
        if (decpt <= 0) return sign + "0." + new string('0', -decpt) + digits;
        if (decpt >= digits.Length) return sign + digits + new string('0', decpt - digits.Length) + ".0";
        return sign + digits[..decpt] + "." + digits[decpt..];
    }

    /// <summary>Python's exponent suffix: sign and at least two digits (<c>e-05</c>, <c>e+16</c>).</summary>
    public static string Exponent(int e) =>
        (e < 0 ? "-" : "+") + Math.Abs(e).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>The shortest digits that read back as <paramref name="x"/> (&gt; 0), and the decimal
    /// point position: x = 0.d1d2... * 10^decpt.</summary>
    public static (string Digits, int DecimalPoint) ShortestDigits(double x)
    {
        // "R" is shortest round-trip on .NET Core 3.0+; it may come in fixed or exponent notation.
        var text = x.ToString("R", CultureInfo.InvariantCulture);
        var exp = 0;
        var ePos = text.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..ePos];
        }
        var dot = text.IndexOf('.');
        var intLen = dot < 0 ? text.Length : dot;
        var digits = text.Replace(".", "");
        var decpt = intLen + exp;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..];
        decpt -= lead;
        digits = digits.TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, decpt);
    }

    /// <summary><c>'%.{precision}f' % |x|</c> without sign, for finite x.</summary>
    public static string Fixed(double x, int precision)
    {
        var (num, den) = Rational(Math.Abs(x));
        var scaled = RoundHalfEven(num * BigInteger.Pow(10, precision), den);
        var s = scaled.ToString(CultureInfo.InvariantCulture).PadLeft(precision + 1, '0');
        return precision == 0 ? s : s[..^precision] + "." + s[^precision..];
    }

    /// <summary><c>'%.{precision}e' % |x|</c> split into mantissa digits (precision + 1 of them)
    /// and the decimal exponent, for finite x.</summary>
    public static (string Digits, int Exponent) Scientific(double x, int precision)
    {
        x = Math.Abs(x);
        if (x == 0) return (new string('0', precision + 1), 0);
        var (num, den) = Rational(x);
        var k = (int)Math.Floor(Math.Log10(x));
        // Make 10^k <= x < 10^(k+1) exact (the float log10 may be off by one near powers of 10).
        while (Compare(num, den, k) < 0) k--;
        while (Compare(num, den, k + 1) >= 0) k++;
        var shift = precision - k;
        var n = shift >= 0
            ? RoundHalfEven(num * BigInteger.Pow(10, shift), den)
            : RoundHalfEven(num, den * BigInteger.Pow(10, -shift));
        if (n >= BigInteger.Pow(10, precision + 1))
        {
            n /= 10;
            k++;
        }
        return (n.ToString(CultureInfo.InvariantCulture), k);
    }

    private static int Compare(BigInteger num, BigInteger den, int power) =>
        power >= 0 ? num.CompareTo(den * BigInteger.Pow(10, power)) : (num * BigInteger.Pow(10, -power)).CompareTo(den);

    private static (BigInteger Num, BigInteger Den) Rational(double x)
    {
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent++;
        else mantissa |= 1L << 52;
        exponent -= 1075;
        return exponent >= 0
            ? (new BigInteger(mantissa) << exponent, BigInteger.One)
            : (new BigInteger(mantissa), BigInteger.One << -exponent);
    }

    private static BigInteger RoundHalfEven(BigInteger num, BigInteger den)
    {
        var q = BigInteger.DivRem(num, den, out var r);
        var twice = r * 2;
        var cmp = twice.CompareTo(den);
        if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;
        return q;
    }
}
