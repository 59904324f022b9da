namespace ProcessOptimizer.Backtests;

/// <summary>A backtest ready to run: stored under <see cref="Id"/>, its versions loaded and leased until it is disposed, which drops those loaded apart.</summary>
public sealed class BacktestPlan(long id, string strategy, DateTimeOffset from, DateTimeOffset to, TimeSpan step, int stepCount, IReadOnlyList<BacktestVersion> versions) : IDisposable
{
    private readonly IReadOnlyList<IDisposable> _leases = [.. versions.Select(v => v.Deployed.Lease())];

    public long Id { get; } = id;

    public string Strategy { get; } = strategy;

    public DateTimeOffset From { get; } = from;

    public DateTimeOffset To { get; } = to;

    public TimeSpan Step { get; } = step;

    /// <summary>Step times per version: <c>From + k·Step</c> before <c>To</c>.</summary>
    public int StepCount { get; } = stepCount;

    public IReadOnlyList<BacktestVersion> Versions { get; } = versions;

    /// <summary>Step records in all: one per version and time.</summary>
    public int Total => StepCount * Versions.Count;

    public void Dispose()
    {
        foreach (var lease in _leases)
        {
            lease.Dispose();
        }

        foreach (var version in Versions)
        {
            version.Deployed.Drop();
        }
    }
}
