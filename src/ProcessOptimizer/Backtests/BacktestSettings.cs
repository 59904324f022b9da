namespace ProcessOptimizer.Backtests;

/// <summary>The <c>Backtests</c> configuration section.</summary>
public sealed class BacktestSettings
{
    public const string Section = "Backtests";

    /// <summary>Backtests the API runs at once; more are refused with 429 until one ends.</summary>
    public int MaxRunning { get; set; } = 2;

    /// <summary>
    /// A running backtest with no sign of life for this long is stored as failed: the process running it stopped
    /// (a crash, a kill, a restart) without recording its end. Every replica and command checks; a running one
    /// proves it is alive four times in this period.
    /// </summary>
    public int StaleAfterSeconds { get; set; } = 120;

    public TimeSpan StaleAfter => TimeSpan.FromSeconds(StaleAfterSeconds);

    public TimeSpan HeartbeatInterval => StaleAfter / 4;

    public IEnumerable<string> Problems()
    {
        if (MaxRunning < 1)
        {
            yield return $"{Section}:MaxRunning must be at least 1 (got {MaxRunning})";
        }

        if (StaleAfterSeconds < 8)
        {
            yield return $"{Section}:StaleAfterSeconds must be at least 8 (got {StaleAfterSeconds})";
        }
    }
}
