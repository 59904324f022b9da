namespace ProcessOptimizer.Api;

/// <summary>The body of <c>POST /strategies/{name}/backtests</c>.</summary>
/// <param name="Step">Between steps, as <c>5m</c>, <c>30s</c>, <c>1h</c>; the strategy's interval when absent.</param>
/// <param name="Versions">Versions in the store; the deployed one when absent or empty.</param>
/// <param name="Horizon">The models' forecast horizon (<c>45m</c>); from each model's metadata when absent.</param>
public sealed record BacktestStartRequest(DateTimeOffset? From, DateTimeOffset? To, string? Step, IReadOnlyList<string>? Versions, string? Horizon);
