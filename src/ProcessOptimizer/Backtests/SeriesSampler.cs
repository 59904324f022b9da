namespace ProcessOptimizer.Backtests;

/// <summary>A time series cut down to at most <c>buckets</c> points (the mean of each equal slice of time), for a chart of any period.</summary>
internal sealed class SeriesSampler(DateTimeOffset from, DateTimeOffset to, int buckets = 300)
{
    private readonly double[] _sums = new double[buckets];
    private readonly int[] _counts = new int[buckets];

    public void Add(DateTimeOffset time, double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        var i = Math.Clamp((int)((time - from) / (to - from) * buckets), 0, buckets - 1);
        _sums[i] += value;
        _counts[i]++;
    }

    public IReadOnlyList<(DateTimeOffset Time, double Value)> Points() =>
        [.. Enumerable.Range(0, buckets).Where(i => _counts[i] > 0).Select(i => (from + ((to - from) * ((i + 0.5) / buckets)), _sums[i] / _counts[i]))];
}
