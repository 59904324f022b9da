namespace ProcessOptimizer.Core.Cycle;

/// <summary>One row of process data: a time (absent for one-row API input) and tag values (null when missing).</summary>
public sealed record ProcessRow(DateTimeOffset? Timestamp, IReadOnlyDictionary<string, double?> Values);
