namespace ProcessOptimizer.Core.Backtests;

/// <summary>A backtest as stored: what was asked, how far it got, and its summary once finished.</summary>
public sealed record BacktestRecord
{
    public long Id { get; init; }

    public required string StrategyName { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public required TimeSpan Step { get; init; }

    public required IReadOnlyList<string> Versions { get; init; }

    public required BacktestStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Steps finished, counting each version's step once.</summary>
    public int StepsDone { get; init; }

    public int StepsTotal { get; init; }

    /// <summary>The summary as JSON, once the backtest has finished.</summary>
    public string? Summary { get; init; }

    public string? Error { get; init; }
}
