using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Dashboard;

namespace ProcessOptimizer.Tests.Dashboard;

public class TrendBucketsTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProcessRow Row(int minute, double? value) => new(Start.AddMinutes(minute), new Dictionary<string, double?> { ["x"] = value });

    [Fact]
    public void Measured_FewerRowsThanPoints_ReturnsEveryRowUnchanged()
    {
        var rows = Enumerable.Range(0, 10).Select(i => Row(i, i * 1.5)).ToList();

        var series = TrendBuckets.Measured("x", "t/h", rows, Start, Start.AddMinutes(10), 100);

        Assert.Equal(rows.Select(r => r.Values["x"]!.Value), series.Mean);
        Assert.Equal(series.Mean, series.Min);
        Assert.Equal(series.Mean, series.Max);
        Assert.Equal(Start.AddMinutes(3).ToUnixTimeSeconds(), series.Times[3]);
    }

    [Fact]
    public void Measured_SevenDaysOfMinutes_ReducesToPointsAndKeepsTheSpike()
    {
        const int minutes = 7 * 1440;
        var rows = Enumerable.Range(0, minutes).Select(i => Row(i, i == 5000 ? 1e4 : Math.Sin(i / 100.0))).ToList();

        var series = TrendBuckets.Measured("x", "", rows, Start, Start.AddMinutes(minutes), 500);

        Assert.InRange(series.Times.Count, 450, 500);
        Assert.Equal(1e4, series.Max.Max());
        Assert.Equal(-1, series.Min.Min(), 3);
        Assert.All(Enumerable.Range(0, series.Times.Count), i => Assert.InRange(series.Mean[i], series.Min[i], series.Max[i]));
        Assert.Equal(series.Times.Order(), series.Times);
        // Each bucket holds about 20 minutes: the bucket with the spike averages it with its neighbours.
        var spike = series.Max.ToList().IndexOf(1e4);
        Assert.InRange(series.Mean[spike], 1e4 / 25, 1e4 / 15);
    }

    [Fact]
    public void Measured_NullNaNAndInfiniteValues_AreLeftOut()
    {
        var rows = new[] { Row(0, 1), Row(1, null), Row(2, double.NaN), Row(3, double.PositiveInfinity), Row(4, 3) };

        var series = TrendBuckets.Measured("x", "", rows, Start, Start.AddMinutes(5), 1);

        Assert.Equal([2.0], series.Mean);
        Assert.Equal([1.0], series.Min);
        Assert.Equal([3.0], series.Max);
    }

    [Theory]
    [InlineData(-50, 0)]
    [InlineData(0, 0)]
    [InlineData(9.99, 0)]
    [InlineData(10, 1)]
    [InlineData(1000, 9)]
    public void Bucket_TimesOutsideTheRange_GoToTheEdgeBuckets(double time, int expected) =>
        Assert.Equal(expected, TrendBuckets.Bucket(time, 0, 10, 10));
}
