namespace ProcessOptimizer.Core.Backtests;

/// <summary>Backtests and their steps, in tables of their own: never mixed with the runs of the loop or the API.</summary>
public interface IBacktestStore
{
    /// <returns>The new backtest's id.</returns>
    Task<long> CreateAsync(BacktestRecord backtest, CancellationToken cancellationToken);

    /// <summary>Stores finished steps and the progress count, in one transaction.</summary>
    Task SaveStepsAsync(long id, IReadOnlyList<BacktestStep> steps, int stepsDone, CancellationToken cancellationToken);

    /// <summary>Records how the backtest ended.</summary>
    Task FinishAsync(long id, BacktestStatus status, DateTimeOffset finishedAt, string? summary, string? error, CancellationToken cancellationToken);

    /// <summary>Marks a running backtest as alive at <paramref name="at"/>; a finished one is left alone.</summary>
    Task HeartbeatAsync(long id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Stores as failed every running backtest with no sign of life since <paramref name="silentSince"/>: the
    /// process that ran it stopped without recording its end.
    /// </summary>
    /// <returns>The ids failed.</returns>
    Task<IReadOnlyList<long>> AbandonStaleAsync(DateTimeOffset silentSince, DateTimeOffset at, CancellationToken cancellationToken);

    Task<BacktestRecord?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Steps in time order, then version; <paramref name="version"/> null for every version.</summary>
    Task<IReadOnlyList<BacktestStep>> StepsAsync(long id, string? version, int offset, int limit, CancellationToken cancellationToken);
}
