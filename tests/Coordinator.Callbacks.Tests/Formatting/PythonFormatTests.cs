using System.Globalization;
using Coordinator.Callbacks.Formatting;

namespace Coordinator.Callbacks.Tests.Formatting;

/// <summary>
/// <see cref="PythonFormat"/> against real Python: every expected string in
/// <see cref="PythonFormatCases"/> was produced by CPython (version in
/// <see cref="PythonFormatCases.PythonVersion"/>) running generate_python_cases.py.
/// </summary>
public class PythonFormatTests
{
    /// <summary>A Python repr back to the value: an int (long) if it is all digits, else a float.</summary>
    internal static object Value(string repr) => repr switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        // (object): without it the switch's type would be double and ints would turn into floats.
        _ when repr.TrimStart('-').All(char.IsAsciiDigit) => (object)long.Parse(repr, CultureInfo.InvariantCulture),
        _ => double.Parse(repr, CultureInfo.InvariantCulture),
    };

    [Theory]
    [MemberData(nameof(PythonFormatCases.Single), MemberType = typeof(PythonFormatCases))]
    public void Formats_like_python(string template, string name, string value, string expected)
    {
        var args = new Dictionary<string, object> { [name] = Value(value) };
        Assert.Equal(expected, PythonFormat.Format(template, args));
    }

    [Theory]
    [MemberData(nameof(PythonFormatCases.Templates), MemberType = typeof(PythonFormatCases))]
    public void Fills_whole_templates_like_python(string template, string args, string expected)
    {
        var values = args.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.Split('=', 2))
            .ToDictionary(a => a[0], a => Value(a[1]));
        Assert.Equal(expected, PythonFormat.Format(template, values));
    }

    [Theory]
    [MemberData(nameof(PythonFormatCases.Rejected), MemberType = typeof(PythonFormatCases))]
    public void Rejects_what_python_rejects(string template, string name, string value, string pythonError)
    {
        var args = new Dictionary<string, object> { [name] = Value(value) };
        var e = Assert.ThrowsAny<PythonFormatException>(() => PythonFormat.Format(template, args));
        if (pythonError.StartsWith("KeyError", StringComparison.Ordinal))
            Assert.Equal("y", Assert.IsType<PythonFormatKeyException>(e).Key);
    }

    [Fact]
    public void The_cases_come_from_python_3()
    {
        Assert.StartsWith("3.", PythonFormatCases.PythonVersion);
        Assert.True(PythonFormatCases.Single.Count() > 3000);
    }

    // The five ways PythonFormat departs from Python found by the cases above, one named test each
    // (expected strings from Python 3.11.7). BUG: see the report.

    [Fact]
    public void Zero_flag_with_an_explicit_alignment_pads_with_zeros()
    {
        // format(7, '<05') == '70000', format(-2.5, '^07.1f') == '0-2.500': '0' sets the fill when none is given.
        Assert.Equal("70000", PythonFormat.Format("{x:<05}", new Dictionary<string, object> { ["x"] = 7L }));
        Assert.Equal("0-2.500", PythonFormat.Format("{x:^07.1f}", new Dictionary<string, object> { ["x"] = -2.5 }));
    }

    [Fact]
    public void Zero_padding_is_grouped_too()
    {
        // format(1234, '08,d') == '0,001,234'; format(-2.5, '015,.2f') == '-000,000,002.50'.
        Assert.Equal("0,001,234", PythonFormat.Format("{x:08,d}", new Dictionary<string, object> { ["x"] = 1234L }));
        Assert.Equal("-000,000,002.50", PythonFormat.Format("{x:015,.2f}", new Dictionary<string, object> { ["x"] = -2.5 }));
    }

    [Fact]
    public void Alternate_g_keeps_the_decimal_point()
    {
        // format(100.0, '#.3g') == '100.'
        Assert.Equal("100.", PythonFormat.Format("{x:#.3g}", new Dictionary<string, object> { ["x"] = 100.0 }));
    }

    [Fact]
    public void Percent_of_a_float_that_overflows_when_multiplied_by_100_is_inf()
    {
        // format(1.7976931348623157e308, '%') == 'inf%' (Python multiplies by 100 in floating point).
        Assert.Equal("inf%", PythonFormat.Format("{x:%}", new Dictionary<string, object> { ["x"] = double.MaxValue }));
    }

    [Fact]
    public void Underscore_grouping_of_hex_octal_and_binary_is_by_four()
    {
        // format(1234567, '_x') == '12_d687'
        Assert.Equal("12_d687", PythonFormat.Format("{x:_x}", new Dictionary<string, object> { ["x"] = 1234567L }));
    }

    [Fact]
    public void Field_names_are_listed_in_order_without_escaped_braces()
    {
        Assert.Equal(["epoch", "val_loss", "epoch"],
            PythonFormat.FieldNames("{{x}}ckpt-{epoch:02d}-{val_loss:.4f}-{epoch}.keras"));
        Assert.Empty(PythonFormat.FieldNames("plain.keras"));
    }
}
