namespace ProcessOptimizer.Backtests;

/// <summary>How far a backtest is: step records finished (one per version and time) out of all, after <see cref="Elapsed"/>.</summary>
public sealed record BacktestProgress(int Done, int Total, TimeSpan Elapsed)
{
    /// <summary>The time left at the pace so far; null before the first step.</summary>
    public TimeSpan? Remaining => Done == 0 ? null : Elapsed * ((double)(Total - Done) / Done);
}
