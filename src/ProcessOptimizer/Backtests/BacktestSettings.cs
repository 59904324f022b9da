namespace ProcessOptimizer.Backtests;

/// <summary>The <c>Backtests</c> configuration section.</summary>
public sealed class BacktestSettings
{
    public const string Section = "Backtests";

    /// <summary>Backtests the API runs at once; more are refused with 429 until one ends.</summary>
    public int MaxRunning { get; set; } = 2;

    public IEnumerable<string> Problems()
    {
        if (MaxRunning < 1)
        {
            yield return $"{Section}:MaxRunning must be at least 1 (got {MaxRunning})";
        }
    }
}
