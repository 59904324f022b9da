namespace ProcessOptimizer.Backtests;

/// <summary>The distribution of the cost at the recommendation over the solved steps; null figures when there are none.</summary>
/// <param name="Histogram">Counts in equal bins between <see cref="Min"/> and <see cref="Max"/>.</param>
public sealed record CostSummary(int Count, double? Mean, double? Min, double? P10, double? P25, double? Median, double? P75, double? P90, double? Max, IReadOnlyList<int> Histogram);
