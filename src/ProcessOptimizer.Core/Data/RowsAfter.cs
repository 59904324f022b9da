namespace ProcessOptimizer.Core.Data;

/// <summary>Rows of a data table stamped after some time: how many, and the newest one's time.</summary>
public sealed record RowsAfter(long Count, DateTimeOffset Newest);
