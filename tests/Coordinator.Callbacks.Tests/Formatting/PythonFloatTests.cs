using System.Globalization;
using Coordinator.Callbacks.Formatting;

namespace Coordinator.Callbacks.Tests.Formatting;

/// <summary>
/// <see cref="PythonFloat"/> against real Python: each expected repr in <see cref="PythonReprCases"/>
/// was produced by CPython's repr() for the double with those bits (fixed cases, then 200 doubles
/// from random.Random(20240607): uniform, scaled over decades, and arbitrary bit patterns).
/// </summary>
public class PythonFloatTests
{
    [Theory]
    [MemberData(nameof(PythonReprCases.Doubles), MemberType = typeof(PythonReprCases))]
    public void Repr_matches_python(string bitsHex, string expected)
    {
        var x = BitConverter.Int64BitsToDouble(long.Parse(bitsHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal(expected, PythonFloat.Repr(x));
    }

    [Fact]
    public void There_are_at_least_200_random_repr_cases()
    {
        Assert.True(PythonReprCases.Doubles.Count() >= 200 + 30);
    }

    // Python: '%.2f' % 0.125 == '0.12' (the exact binary value is a tie: half to even),
    // '%.2f' % 2.675 == '2.67' (2.675 is 2.67499999... in binary), '%.0f' % 2.5 == '2'.
    [Theory]
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.375, 2, "0.38")]
    [InlineData(2.675, 2, "2.67")]
    [InlineData(2.5, 0, "2")]
    [InlineData(3.5, 0, "4")]
    [InlineData(1e22, 0, "10000000000000000000000")]
    [InlineData(5e-324, 3, "0.000")]
    public void Fixed_rounds_the_exact_binary_value_half_to_even(double x, int precision, string expected)
    {
        Assert.Equal(expected, PythonFloat.Fixed(x, precision));
    }

    [Theory]
    [InlineData(0.000123456, 2, "123", -4)]
    [InlineData(9.999, 2, "100", 1)]
    [InlineData(1.0, 0, "1", 0)]
    [InlineData(0.0, 3, "0000", 0)]
    [InlineData(1e23, 3, "1000", 23)]
    public void Scientific_gives_digits_and_exponent(double x, int precision, string digits, int exponent)
    {
        Assert.Equal((digits, exponent), PythonFloat.Scientific(x, precision));
    }

    [Theory]
    [InlineData(-5, "-05")]
    [InlineData(16, "+16")]
    [InlineData(0, "+00")]
    [InlineData(308, "+308")]
    public void Exponent_has_a_sign_and_two_digits_at_least(int e, string expected)
    {
        Assert.Equal(expected, PythonFloat.Exponent(e));
    }
}
