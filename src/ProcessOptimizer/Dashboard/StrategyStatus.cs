namespace ProcessOptimizer.Dashboard;

/// <summary><c>GET /strategies/{name}/status</c>: what the overview shows for one strategy.</summary>
/// <param name="Mode"><c>continuous</c>, <c>hybrid</c> or <c>api</c>; in <c>api</c> no loop runs and only recorded runs are shown.</param>
/// <param name="DeployedVersion">The live version; null while none could be loaded.</param>
/// <param name="Health"><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>, for the colour; <paramref name="Reasons"/> says why in words.</param>
/// <param name="NextCycleAt">When the loop's next cycle is due; null in api mode.</param>
public sealed record StrategyStatus(
    string Name,
    string Mode,
    string? DeployedVersion,
    string Health,
    IReadOnlyList<string> Reasons,
    LastRun? LastRun,
    DataFreshness Data,
    ServiceFactor ServiceFactor24h,
    ServiceFactor ServiceFactor7d,
    DateTimeOffset? NextCycleAt,
    int IntervalSeconds,
    DateTimeOffset Timestamp);
