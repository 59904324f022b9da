namespace ProcessOptimizer.Dashboard;

/// <summary>
/// One tag's process data over a range, in columns. Zoomed out, each point is a time bucket: its mean, lowest and
/// highest value, at the bucket's first row; zoomed in, each point is a row and the three are equal.
/// </summary>
/// <param name="Times">Unix seconds.</param>
public sealed record MeasuredSeries(string Variable, string Units, IReadOnlyList<double> Times, IReadOnlyList<double> Mean, IReadOnlyList<double> Min, IReadOnlyList<double> Max);
