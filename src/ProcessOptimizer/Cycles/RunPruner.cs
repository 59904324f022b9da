using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// Deletes the <c>/optimize</c> answers past <c>Api:RunRetention</c>, at start and then every interval. Only runs
/// stored under a strategy's API name (<c>{strategy}/api</c>) are pruned, each strategy's on its own; the loop's
/// runs are never touched.
/// </summary>
/// <remarks>A database that fails is logged and tried again at the next interval; nothing else waits for it.</remarks>
public sealed partial class RunPruner(IRunStore runs, StrategyCatalog strategies, RunRetentionSettings retention, TimeProvider time, ILogger<RunPruner> logger) : BackgroundService
{
    /// <summary>Prunes once now.</summary>
    /// <returns>How many runs were deleted.</returns>
    /// <exception cref="DatabaseException">The database did not take the deletion.</exception>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var strategy in strategies.All)
        {
            deleted += await runs.PruneAsync(strategy.ApiRunsName, retention.KeepRows, time.GetUtcNow() - retention.MaxAge, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(retention.IntervalSeconds), time);
        do
        {
            try
            {
                if (await PruneAsync(stoppingToken).ConfigureAwait(false) is > 0 and var deleted)
                {
                    LogPruned(logger, deleted);
                }
            }
            catch (DatabaseException ex)
            {
                LogFailed(logger, ex.Message);
            }
        }
        while (await timer.NextAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 240, Level = LogLevel.Information, Message = "Pruned {Count} on-demand runs past the retention")]
    private static partial void LogPruned(ILogger logger, int count);

    [LoggerMessage(EventId = 241, Level = LogLevel.Warning, Message = "Pruning API runs failed; tried again at the next interval: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
