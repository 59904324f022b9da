using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// Deletes the <c>/optimize</c> answers past <c>Api:RunRetention</c>, at start and then every interval. Only runs
/// stored under the API's name are pruned; the loop's runs are never touched.
/// </summary>
/// <remarks>A database that fails is logged and tried again at the next interval; nothing else waits for it.</remarks>
public sealed partial class RunPruner(IRunStore runs, RunRetentionSettings retention, TimeProvider time, ILogger<RunPruner> logger) : BackgroundService
{
    /// <summary>Prunes once now.</summary>
    /// <returns>How many runs were deleted.</returns>
    /// <exception cref="DatabaseException">The database did not take the deletion.</exception>
    public Task<int> PruneAsync(CancellationToken cancellationToken) =>
        runs.PruneAsync(Api.OptimizeApi.StoredName, retention.KeepRows, time.GetUtcNow() - retention.MaxAge, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(retention.IntervalSeconds), time);
        do
        {
            try
            {
                if (await PruneAsync(stoppingToken).ConfigureAwait(false) is > 0 and var deleted)
                {
                    LogPruned(logger, deleted, Api.OptimizeApi.StoredName);
                }
            }
            catch (DatabaseException ex)
            {
                LogFailed(logger, ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 240, Level = LogLevel.Information, Message = "Pruned {Count} runs of {Name} past the retention")]
    private static partial void LogPruned(ILogger logger, int count, string name);

    [LoggerMessage(EventId = 241, Level = LogLevel.Warning, Message = "Pruning API runs failed; tried again at the next interval: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
