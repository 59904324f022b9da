using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Dashboard;

/// <summary>
/// Server-side downsampling for trends: a range holding more rows than the chart has points is cut into equal
/// time buckets, each reduced to its mean, minimum and maximum, so peaks survive the reduction.
/// </summary>
public static class TrendBuckets
{
    /// <summary>The series of <paramref name="tag"/> in at most <paramref name="points"/> points.</summary>
    /// <param name="rows">Oldest first. Rows where the tag is null, NaN or infinite are left out.</param>
    public static MeasuredSeries Measured(string tag, string units, IReadOnlyList<ProcessRow> rows, DateTimeOffset from, DateTimeOffset to, int points)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 1);
        var samples = new List<(double Time, double Value)>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Timestamp is { } at && row.Values.TryGetValue(tag, out var v) && v is { } value && double.IsFinite(value))
            {
                samples.Add((at.ToUnixTimeMilliseconds() / 1000.0, value));
            }
        }

        var times = new List<double>();
        var mean = new List<double>();
        var min = new List<double>();
        var max = new List<double>();
        if (samples.Count <= points)
        {
            foreach (var (time, value) in samples)
            {
                (times, mean, min, max).Add(time, value, value, value);
            }

            return new MeasuredSeries(tag, units, times, mean, min, max);
        }

        var start = from.ToUnixTimeMilliseconds() / 1000.0;
        var width = Math.Max(1e-3, (to.ToUnixTimeMilliseconds() / 1000.0 - start) / points);
        var i = 0;
        while (i < samples.Count)
        {
            var bucket = Bucket(samples[i].Time, start, width, points);
            var (first, sum, lo, hi, n) = (samples[i].Time, 0.0, double.MaxValue, double.MinValue, 0);
            for (; i < samples.Count && Bucket(samples[i].Time, start, width, points) == bucket; i++)
            {
                var value = samples[i].Value;
                (sum, lo, hi, n) = (sum + value, Math.Min(lo, value), Math.Max(hi, value), n + 1);
            }

            (times, mean, min, max).Add(first, sum / n, lo, hi);
        }

        return new MeasuredSeries(tag, units, times, mean, min, max);
    }

    /// <summary>The bucket of a time; times outside the range go to the first or last bucket.</summary>
    public static int Bucket(double time, double start, double width, int points) => Math.Clamp((int)Math.Floor((time - start) / width), 0, points - 1);

    private static void Add(this (List<double> Times, List<double> Mean, List<double> Min, List<double> Max) columns, double time, double mean, double min, double max)
    {
        columns.Times.Add(time);
        columns.Mean.Add(mean);
        columns.Min.Add(min);
        columns.Max.Add(max);
    }
}
