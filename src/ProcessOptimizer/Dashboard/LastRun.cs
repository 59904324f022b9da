namespace ProcessOptimizer.Dashboard;

/// <summary>The newest stored run of a strategy's loop: when it ran, on which data, and how it ended.</summary>
public sealed record LastRun(long Id, DateTimeOffset StartedAt, DateTimeOffset? DataTimestamp, string Outcome, string StrategyVersion);
