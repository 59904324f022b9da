namespace ProcessOptimizer.Dashboard;

/// <summary>How old the newest process data row is, against <c>Optimization:MaxDataAgeSeconds</c>.</summary>
/// <param name="NewestRow">Null when no data is stored.</param>
/// <param name="Fresh">Whether a cycle now would find fresh data.</param>
public sealed record DataFreshness(DateTimeOffset? NewestRow, double? AgeSeconds, int MaxAgeSeconds, bool Fresh);
