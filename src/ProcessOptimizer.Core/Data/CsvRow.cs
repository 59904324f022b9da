namespace ProcessOptimizer.Core.Data;

/// <summary>One CSV row; <see cref="Values"/> follow <see cref="CsvTable.Columns"/>.</summary>
public sealed record CsvRow(DateTimeOffset Timestamp, IReadOnlyList<double?> Values);
