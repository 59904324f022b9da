namespace ProcessOptimizer.Backtests;

/// <summary>What to replay: the steps <c>From, From + Step, …</c> before <c>To</c>, for each version.</summary>
/// <param name="Step">Between steps; null for the strategy's interval (<c>Optimization:IntervalSeconds</c>).</param>
/// <param name="Versions">Strategy versions in the store; empty for the deployed version.</param>
/// <param name="Horizon">How far ahead the models predict; null to read <c>horizon_minutes</c> from each model's metadata.</param>
public sealed record BacktestRequest(DateTimeOffset From, DateTimeOffset To, TimeSpan? Step, IReadOnlyList<string> Versions, TimeSpan? Horizon)
{
    /// <summary>At most this many steps per version: a year of 5-minute steps.</summary>
    public const int MaxSteps = 105_120;
}
