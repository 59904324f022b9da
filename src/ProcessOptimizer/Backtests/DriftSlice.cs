namespace ProcessOptimizer.Backtests;

/// <summary>Model errors over one slice of the period: steps at or after <see cref="From"/> and before <see cref="To"/>.</summary>
public sealed record DriftSlice(DateTimeOffset From, DateTimeOffset To, int Samples, double? Mae, double? Bias);
