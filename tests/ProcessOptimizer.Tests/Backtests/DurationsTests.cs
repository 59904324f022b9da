using ProcessOptimizer.Backtests;

namespace ProcessOptimizer.Tests.Backtests;

/// <summary>A backtest's step and horizon as people write them, and what is refused with a reason.</summary>
public sealed class DurationsTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1.5h", 5400)]
    [InlineData("2d", 172_800)]
    [InlineData("00:05:00", 300)]
    [InlineData("1.00:00:00", 86_400)]
    public void Parse_DurationWithUnitOrClock_IsThatLong(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text));

    // TimeSpan reads "300" as 300 days: a step meant as 300 seconds ran one step of 300 days, answered 202.
    [Theory]
    [InlineData("300")]
    [InlineData("5")]
    [InlineData("2.5")]
    public void Parse_NumberWithoutUnit_IsRefusedAskingForOne(string text)
    {
        var refused = Assert.Throws<FormatException>(() => Durations.Parse(text));

        Assert.Contains($"'{text}' has no unit", refused.Message, StringComparison.Ordinal);
        Assert.Contains("300s, 5m, 1h or 2d", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongerThanATimeSpanHolds_SaysSoRatherThanNotPositive()
    {
        var refused = Assert.Throws<FormatException>(() => Durations.Parse("99999999d"));

        Assert.Contains("longer than the longest duration taken", refused.Message, StringComparison.Ordinal);
    }
}
