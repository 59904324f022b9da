namespace ProcessOptimizer.Core.Data;

/// <summary>
/// Rows of a data table that no cycle reads: how many are stamped after some time and the newest one's time (null
/// when none is), and those whose timestamp is no time at all.
/// </summary>
public sealed record RowsAfter(long Count, DateTimeOffset? Newest, TimelessRows? Timeless = null);

/// <summary>Rows of <paramref name="Table"/> whose timestamp is no time, with the text of one of them (null for a NULL stamp).</summary>
public sealed record TimelessRows(string Table, long Count, string? Example);
