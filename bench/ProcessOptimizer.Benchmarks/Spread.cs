namespace ProcessOptimizer.Benchmarks;

/// <summary>The median and the 10th and 90th percentiles that every table reports.</summary>
internal static class Spread
{
    /// <summary>Sorts <paramref name="values"/> in place and reads the three off it.</summary>
    public static (double Median, double P10, double P90) Of(List<double> values)
    {
        values.Sort();
        return (values[values.Count / 2], values[values.Count / 10], values[values.Count * 9 / 10]);
    }
}
