namespace ProcessOptimizer.Api;

/// <summary>
/// One strategy's state as this replica knows it: <c>GET /strategies</c> lists these, and <c>/health</c> has one
/// per strategy. Status is <c>unhealthy</c> with no loadable version or data stale past the limit, <c>degraded</c>
/// with a broken deployed version, stale data or a failed last cycle, <c>disabled</c> when not enabled.
/// </summary>
/// <param name="LastCycle">The last cycle of this strategy that this replica ran; in a cluster, others may have run later ones.</param>
public sealed record StrategyState(
    string Name,
    string Status,
    bool Default,
    bool Enabled,
    int IntervalSeconds,
    string DataTable,
    string DeployedVersionKey,
    string? DeployedVersion,
    string? Error,
    string? BrokenVersion,
    string? BrokenReason,
    DateTimeOffset? StaleSince,
    CycleReport? LastCycle,
    IReadOnlyDictionary<string, long> CycleOutcomes);
