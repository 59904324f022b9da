namespace ProcessOptimizer.Storage.Database;

/// <summary>The first and last timestamps in <c>process_data</c>, and how many rows lie between.</summary>
public sealed record ProcessDataSpan(DateTimeOffset First, DateTimeOffset Last, long Rows);
