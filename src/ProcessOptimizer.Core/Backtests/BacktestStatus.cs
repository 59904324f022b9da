namespace ProcessOptimizer.Core.Backtests;

/// <summary>Where a backtest is: stored as <c>running</c>, <c>completed</c>, <c>cancelled</c> or <c>failed</c>.</summary>
public enum BacktestStatus
{
    Running,
    Completed,
    Cancelled,
    Failed,
}
