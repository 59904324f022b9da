namespace ProcessOptimizer.Dashboard;

/// <summary>How old the newest process data row is, against <c>Optimization:MaxDataAgeSeconds</c>.</summary>
/// <param name="NewestRow">The newest row at or before now, which a cycle now reads; null when there is none.</param>
/// <param name="Fresh">Whether a cycle now would find fresh data.</param>
/// <param name="AheadRow">
/// The newest row when it is stamped more than <see cref="Core.Data.DataGuard.AheadTolerance"/> after now: a cycle reads no such row, and a
/// plant writer whose clock or time zone is wrong makes every row of its feed look newer than it is.
/// </param>
public sealed record DataFreshness(DateTimeOffset? NewestRow, double? AgeSeconds, int MaxAgeSeconds, bool Fresh, DateTimeOffset? AheadRow = null);
