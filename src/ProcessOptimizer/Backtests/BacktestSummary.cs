namespace ProcessOptimizer.Backtests;

/// <summary>A backtest's report: what was replayed and, per version, how it did. Written as <c>summary.json</c>.</summary>
public sealed record BacktestSummary(
    long Id,
    string Strategy,
    DateTimeOffset From,
    DateTimeOffset To,
    double StepSeconds,
    IReadOnlyDictionary<string, VersionSummary> Versions);
