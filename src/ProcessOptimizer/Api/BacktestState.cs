using System.Text.Json;

namespace ProcessOptimizer.Api;

/// <summary>A backtest as <c>GET /backtests/{id}</c> shows it: what was asked, its progress, then its summary.</summary>
/// <param name="Status"><c>running</c>, <c>completed</c>, <c>cancelled</c> or <c>failed</c>.</param>
/// <param name="EtaSeconds">The time left at the pace so far, while it runs here.</param>
public sealed record BacktestState(
    long Id,
    string Strategy,
    string Status,
    DateTimeOffset From,
    DateTimeOffset To,
    double StepSeconds,
    IReadOnlyList<string> Versions,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    int StepsDone,
    int StepsTotal,
    double? EtaSeconds,
    JsonElement? Summary,
    string? Error);
