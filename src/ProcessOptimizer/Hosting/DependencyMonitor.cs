using System.Collections.Concurrent;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Demo;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Outbox;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Hosting;

/// <summary>
/// Keeps the dependencies' last known state fresh for <c>/health</c> and brings the service up without them: it
/// creates the schema once the database answers (the service starts without it), replays the outbox, and
/// loads every strategy's deployed version. Calls go through the dependencies' guards, so an open circuit costs nothing;
/// each round also starts the guards' background probes, which close a circuit as soon as its dependency answers.
/// </summary>
public sealed partial class DependencyMonitor(
    ProcessDatabase database,
    IRunStore runs,
    RunRecorder recorder,
    RunOutbox outbox,
    DependencyGuards guards,
    StrategyCatalog strategies,
    IServiceProvider services,
    ILogger<DependencyMonitor> logger) : BackgroundService
{
    // Wall-clock pacing: these are probes of real servers, not steps of the plant's schedule.
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private Task _setUp = Task.CompletedTask;

    // A database down or an outbox folder that cannot be written is found again every round: a line when it begins
    // or changes, then one a minute, and one when it ends.
    private readonly RepeatedWarning _databaseDown = new(TimeProvider.System);
    private readonly RepeatedWarning _outboxFailing = new(TimeProvider.System);

    // Likewise a strategy none of whose versions loads, per strategy.
    private readonly ConcurrentDictionary<string, RepeatedWarning> _unloadable = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates the schema (only what is missing) and seeds the embedded demo, when it is not there yet or no longer.
    /// One set-up at a time: a call while one is in flight (the start's, still waiting on a hung database) joins it.
    /// </summary>
    /// <exception cref="DatabaseException">The database cannot be reached or written.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_setUp.IsCompleted)
            {
                // On the pool: a driver may wait synchronously, and the start must not.
                _setUp = database.IsMigrated ? Task.CompletedTask : Task.Run(() => SetUpAsync(cancellationToken), CancellationToken.None);
            }

            return _setUp;
        }
    }

    private async Task SetUpAsync(CancellationToken cancellationToken)
    {
        // The first start, or the schema found gone since: either way only what is missing is made.
        await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (services.GetService<ReplayFeeder>() is { } feeder)
        {
            await feeder.SeedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One round: the database (is the schema still there, make what is missing, replay the outbox or read the runs) and the store
    /// (the deployed version). A schema found gone (a restore to nothing) is made again in the same round.
    /// </summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        // Health's background probes run even when nobody asks for health: they isolate a circuit whose dependency
        // hangs, and close it again once the dependency answers.
        foreach (var guard in guards.All)
        {
            guard.Observe();
        }

        try
        {
            await database.CheckAsync(cancellationToken).ConfigureAwait(false);
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
            if (recorder.Pending > 0)
            {
                await recorder.ReplayAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // A read of the runs table, as the cycles make: a lock or a pool held up shows here too.
                await runs.LastRunTimestampAsync(strategies.Default.Name, cancellationToken).ConfigureAwait(false);
            }

            if (_databaseDown.End())
            {
                LogDatabaseBack(logger, database.Description);
            }
        }
        catch (DatabaseException ex)
        {
            if (_databaseDown.IsDue("down", out var unlogged))
            {
                LogDatabaseDown(logger, database.Description, ex.Message, unlogged);
            }
        }

        // Runs held in memory go to the folder as soon as it takes them, whether or not the database is back; and
        // a folder that failed is tried again even when no run needs it, so that health sees it recover.
        if (outbox.Fault is not null && !outbox.Retry())
        {
            // Another run held in memory is a change worth its line at once.
            var held = outbox.Held;
            if (_outboxFailing.IsDue(held.ToString(System.Globalization.CultureInfo.InvariantCulture), out var unlogged))
            {
                LogOutboxFailing(logger, outbox.Folder, outbox.Fault?.Reason ?? "", held, unlogged);
            }
        }
        else if (_outboxFailing.End())
        {
            LogOutboxWritable(logger, outbox.Folder);
        }

        await LoadStrategiesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads (or rechecks) every strategy's deployed version. A strategy whose store or version cannot be read is
    /// logged and left to the next round; the others load regardless.
    /// </summary>
    public async Task LoadStrategiesAsync(CancellationToken cancellationToken)
    {
        foreach (var strategy in strategies.All)
        {
            var warning = _unloadable.GetOrAdd(strategy.Name, _ => new RepeatedWarning(TimeProvider.System));
            try
            {
                await strategy.Repository.CurrentAsync(cancellationToken).ConfigureAwait(false);
                if (warning.End())
                {
                    LogStrategyBack(logger, strategy.Name);
                }
            }
            catch (Exception ex) when (ex is StorageException or StrategyVersionException)
            {
                // The state is what an operator acts on, the version that fails or a store that does not answer; a
                // store's message carries how long it has waited, which would make every round a change.
                var state = ex is StrategyVersionException broken ? "version " + broken.Version : "store";
                if (warning.IsDue(state, out var unlogged))
                {
                    LogNoStrategy(logger, strategy.Name, ex.Message, unlogged);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ProbeAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A failure no dependency's handling expected (one stopped a replica at its start): logged whole,
                    // and the next round tries again, since the host stops when this loop ends.
                    LogRoundFailed(logger, ex);
                }

                await Task.Delay(Interval, TimeProvider.System, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Warning, Message = "Database {Database} is not available: {Reason} (found {Unlogged} more times since the last line)")]
    private static partial void LogDatabaseDown(ILogger logger, string database, string reason, int unlogged);

    [LoggerMessage(EventId = 237, Level = LogLevel.Information, Message = "Database {Database} is available again")]
    private static partial void LogDatabaseBack(ILogger logger, string database);

    [LoggerMessage(EventId = 232, Level = LogLevel.Warning, Message = "The outbox folder {Folder} still cannot be written ({Reason}); {Held} runs are held in memory (found {Unlogged} more times since the last line)")]
    private static partial void LogOutboxFailing(ILogger logger, string folder, string reason, int held, int unlogged);

    [LoggerMessage(EventId = 238, Level = LogLevel.Information, Message = "The outbox folder {Folder} can be written again")]
    private static partial void LogOutboxWritable(ILogger logger, string folder);

    [LoggerMessage(EventId = 231, Level = LogLevel.Warning, Message = "No version of strategy {Strategy} can be loaded: {Reason} (found {Unlogged} more times since the last line)")]
    private static partial void LogNoStrategy(ILogger logger, string strategy, string reason, int unlogged);

    [LoggerMessage(EventId = 235, Level = LogLevel.Error, Message = "A round of the dependency checks failed; the next one runs in 2 s")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 239, Level = LogLevel.Information, Message = "Strategy {Strategy} can be loaded again")]
    private static partial void LogStrategyBack(ILogger logger, string strategy);
}
