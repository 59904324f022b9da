using System.Globalization;
using System.Text;
using System.Text.Json;
using ProcessOptimizer.Inputs;

namespace ProcessOptimizer.Tests.Inputs;

/// <summary>
/// Issue 19: the plain decimal form read from its bytes gives the general parser's double bit for bit, and any
/// other form is left to the general parser.
/// </summary>
public sealed class PlainDecimalTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0000")]
    [InlineData("0.1")]
    [InlineData("52112.9846")]
    [InlineData("-1453.7203")]
    [InlineData("9007199254740992")]
    [InlineData("900719925474099.2")]
    [InlineData("0.0000000000000000000001")]
    [InlineData("0.3")]
    [InlineData("2.675")]
    public void TryParse_PlainForm_SameDoubleAsTheGeneralParser(string text)
    {
        Assert.True(PlainDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(General(text)), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData("9007199254740993")]
    [InlineData("1234567890123456789")]
    [InlineData("12345678901234567890")]
    [InlineData("0.00000000000000000000001")]
    [InlineData("1e5")]
    [InlineData("1E-5")]
    [InlineData("-1.5e300")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void TryParse_AnyOtherForm_IsLeftToTheGeneralParser(string text) =>
        Assert.False(PlainDecimal.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void TryParse_RandomNumbers_SameDoubleAsTheGeneralParserOrLeftToIt()
    {
        var random = new Random(19);
        var taken = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var text = RandomNumber(random);
            if (!PlainDecimal.TryParse(Encoding.UTF8.GetBytes(text), out var value))
            {
                continue;
            }

            taken++;
            Assert.True(BitConverter.DoubleToInt64Bits(General(text)) == BitConverter.DoubleToInt64Bits(value), $"{text}: {value:R} against {General(text):R}");
        }

        // Most are of the plain form and taken; the rest (too many digits) are left, so both sides are tried.
        Assert.InRange(taken, 100_000, 199_000);
    }

    // Signs, leading zeros in the fraction, 1-20 digits on either side of the point, as a JSON writer would give them.
    private static string RandomNumber(Random random)
    {
        var whole = random.Next(4) == 0 ? "0" : random.Next(1, 10).ToString(CultureInfo.InvariantCulture) + Digits(random, random.Next(0, 12));
        var fraction = random.Next(5) == 0 ? "" : "." + Digits(random, random.Next(1, random.Next(2) == 0 ? 8 : 24));
        return (random.Next(3) == 0 ? "-" : "") + whole + fraction;
    }

    private static string Digits(Random random, int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))));

    // What the window's reading used before: the JSON reader's own number parsing.
    private static double General(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
        reader.Read();
        return reader.GetDouble();
    }
}
