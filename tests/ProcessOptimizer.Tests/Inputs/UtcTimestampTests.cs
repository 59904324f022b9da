using System.Globalization;
using System.Text;
using ProcessOptimizer.Inputs;

namespace ProcessOptimizer.Tests.Inputs;

/// <summary>
/// Issue 19: the usual timestamp form read from its bytes accepts nothing that the general parser refuses, and
/// gives the instant that it gives.
/// </summary>
public sealed class UtcTimestampTests
{
    public static TheoryData<string> NotTheUsualForm => new(
        // Dates and times that do not exist, in the usual form.
        "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-00-10T00:00:00Z", "2026-13-10T00:00:00Z", "2026-01-00T00:00:00Z",
        "0000-01-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z", "2016-12-31T23:59:60Z",
        // Other forms the general parser may well accept: left to it.
        "2026-01-01T00:00:00z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00.5Z",
        "2026-01-01T00:00:00", "2026-1-01T00:00:00Z", "+026-01-01T00:00:00Z", "2026-01-01T0a:00:00Z", "2026-01-01T00:00:00Z ",
        "２026-01-01T00:00:00Z", "");

    [Theory]
    [MemberData(nameof(NotTheUsualForm))]
    public void TryParse_NotTheUsualForm_IsLeftToTheGeneralParser(string text) =>
        Assert.False(UtcTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("2026-01-03T15:50:00Z")]
    public void TryParse_UsualForm_SameInstantAsTheGeneralParser(string text)
    {
        Assert.True(UtcTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out var fast));
        Assert.True(DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var general));
        Assert.Equal(general.ToUniversalTime().UtcTicks, fast.UtcTicks);
        Assert.Equal(TimeSpan.Zero, fast.Offset);
    }

    [Fact]
    public void TryParse_RandomTextsOfTheUsualShape_NeverAcceptsWhatTheGeneralParserRefuses()
    {
        var random = new Random(19);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            // Each field a little past its range now and then: month 0-13, day 0-32, 24:00, minute and second 60.
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{(random.Next(20) == 0 ? 0 : random.Next(1, 10_000)):D4}-{random.Next(14):D2}-{random.Next(33):D2}T{random.Next(25):D2}:{random.Next(61):D2}:{random.Next(61):D2}Z");
            if (UtcTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out var fast))
            {
                accepted++;
                Assert.True(DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var general), text);
                Assert.Equal(general.ToUniversalTime().UtcTicks, fast.UtcTicks);
            }
            else
            {
                // Refused here only when no such moment exists; the general parser then decides, as before.
                Assert.False(IsRealTime(text), text);
            }
        }

        // The case is not empty: a good share of the texts are real times.
        Assert.InRange(accepted, 5_000, 20_000);
    }

    // Whether the text names a moment that exists, checked apart from either parser.
    private static bool IsRealTime(string text)
    {
        int Field(int at, int length) => int.Parse(text.AsSpan(at, length), CultureInfo.InvariantCulture);
        var (year, month, day) = (Field(0, 4), Field(5, 2), Field(8, 2));
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && Field(11, 2) <= 23 && Field(14, 2) <= 59 && Field(17, 2) <= 59;
    }
}
