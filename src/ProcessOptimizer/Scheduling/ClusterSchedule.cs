using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;
using Quartz;

namespace ProcessOptimizer.Scheduling;

/// <summary>
/// Starts this replica's Quartz scheduler in the cluster, after making the stored schedule match the
/// configuration: one job and one trigger per enabled strategy, at its interval, skipping missed slots. A database
/// that is not there yet does not stop the service: the start is tried again every few seconds, and health says why.
/// Once it runs, the schedule is watched: a trigger found gone is scheduled again, and Quartz's tables found gone
/// (the database restored to nothing) are made again first; health says so until a cycle has fired since.
/// </summary>
public sealed partial class ClusterSchedule([FromKeyedServices(ClusterSchedule.SchedulerName)] ISchedulerFactory factory, ISchedulerRuntime runtime, StrategyCatalog strategies, ServiceInstance instance, QuartzSchema schema, ProcessDatabase database, TimeProvider time, ILogger<ClusterSchedule> logger) : BackgroundService
{
    // Wall-clock pacing: a retry of a real server, not a step of the plant's schedule.
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(3);

    /// <summary>How long the service's stop waits for Quartz's own shutdown before it goes on without it.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(0.5);

    /// <summary>The cluster's scheduler name, the same on every replica.</summary>
    public const string SchedulerName = "process-optimizer";

    private IScheduler? _scheduler;
    private volatile string? _error = "the scheduler is starting";
    private volatile ScheduleLoss? _loss;

    // The database's schema losses when the schedule was last found whole: a loss since may have taken Quartz's
    // tables too, which the next look at the schedule tells.
    private int _lossesSeen;

    /// <summary>Whether this replica's scheduler runs and takes part in the cluster.</summary>
    public bool IsRunning => _scheduler is { Status: SchedulerStatus.Running };

    /// <summary>Why the scheduler does not run this replica's cycles: it is not started yet, or its schedule was lost and no cycle has fired since it was made again.</summary>
    public string? Error => database.SchemaLosses == Volatile.Read(ref _lossesSeen)
        ? _error
        : _error ?? "the database was found without the service's schema, which the cluster's may share; the cluster's schedule is being checked";

    public string InstanceId => instance.Id;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Quartz's first calls wait on the database, each for its own timeouts: they begin once the database has
        // answered the service's set-up, so that a start while it hangs is not held by them.
        _error = "the scheduler waits for the database to answer";
        try
        {
            await database.FirstMigrated.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (await StartSchedulerAsync(stoppingToken).ConfigureAwait(false) is not { } scheduler)
        {
            return;
        }

        while (await WaitAsync(stoppingToken).ConfigureAwait(false))
        {
            await WatchAsync(scheduler, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<IScheduler?> StartSchedulerAsync(CancellationToken stoppingToken)
    {
        // Whether a scheduler was asked for before: one whose start then failed, or whose creation did, is shut down.
        var built = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await schema.CreateMissingAsync(stoppingToken).ConfigureAwait(false);
                // Quartz shuts a scheduler down when its creation or start fails (the database refused or hung), and
                // hands that one back for good: after a failure the next attempt is a new one from the same recipe.
                var rebuild = built;
                built = true;
                var scheduler = rebuild
                    ? await runtime.Restart(SchedulerName, SchedulerRestartOptions.WithoutStarting, stoppingToken).ConfigureAwait(false)
                    : await factory.LookupScheduler(SchedulerName, stoppingToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"Quartz has no scheduler named {SchedulerName}");
                await StrategyTriggers.MatchAsync(scheduler, strategies, logger, stoppingToken).ConfigureAwait(false);
                await scheduler.Start(stoppingToken).ConfigureAwait(false);
                _scheduler = scheduler;
                Expect();
                _error = null;
                LogStarted(logger, instance.Id, strategies.All.Count);
                return scheduler;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex) when (ex is SchedulerException or System.Data.Common.DbException or InvalidOperationException)
            {
                _error = QuartzSchema.Reason(ex);
                LogNotStarted(logger, _error);
            }

            if (!await WaitAsync(stoppingToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        return null;
    }

    // One look at the stored schedule: every strategy's trigger is there (else it is scheduled again), and when it
    // last fired on any replica, which health judges the cadence by.
    private async Task WatchAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var losses = database.SchemaLosses;
        try
        {
            var fired = false;
            foreach (var strategy in strategies.All)
            {
                var trigger = await scheduler.GetTrigger(StrategyTriggers.Key(strategy), cancellationToken).ConfigureAwait(false);
                if (trigger is null)
                {
                    await StrategyTriggers.ScheduleAsync(scheduler, strategy, replace: false, logger, cancellationToken).ConfigureAwait(false);
                    _loss = (_loss ?? new ScheduleLoss(time.GetUtcNow(), "its trigger was gone")) with { Remade = time.GetUtcNow() };
                    Expect();
                }
                else if (trigger.PreviousFireTimeUtc is { } last)
                {
                    strategy.Health.Began(last);
                    fired |= _loss is { Remade: { } remade } && last >= remade;
                }
            }

            if (fired)
            {
                LogRecovered(logger, instance.Id);
                _loss = null;
            }

            _error = _loss?.Describe();
            if (_loss is null)
            {
                Volatile.Write(ref _lossesSeen, losses);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is SchedulerException or System.Data.Common.DbException && QuartzSchema.IsMissing(ex))
        {
            _loss = new ScheduleLoss(time.GetUtcNow(), ex.GetBaseException().Message);
            LogTablesGone(logger, ex.GetBaseException().Message);
            await RemakeTablesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SchedulerException or System.Data.Common.DbException)
        {
            _error = $"the cluster's schedule cannot be read: {QuartzSchema.Reason(ex)}";
        }
    }

    private async Task RemakeTablesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await schema.CreateMissingAsync(cancellationToken).ConfigureAwait(false);
            _error = _loss?.Describe();
        }
        catch (Npgsql.NpgsqlException ex)
        {
            _error = $"the cluster's Quartz tables are gone ({_loss?.Cause}) and cannot be made again: {ex.Message}";
            LogNotRemade(logger, ex.Message);
        }
    }

    private void Expect()
    {
        var now = time.GetUtcNow();
        foreach (var strategy in strategies.All)
        {
            strategy.Health.ExpectFrom(now);
        }
    }

    private static async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RetryInterval, TimeProvider.System, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_scheduler is { } scheduler)
        {
            // Cycles in flight are cancelled and store nothing; the cluster fires their strategies' next slots elsewhere.
            // Quartz's shutdown waits for its own loops: with the database answering they end within milliseconds,
            // but a hung database holds them in their statements for the driver's timeouts, and the shutdown with them.
            // Its shutdown writes nothing to the database (the others take this replica for gone by its missed
            // check-ins either way), so it is given a short grace and then left: its threads are background ones
            // that do not keep the process.
            using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            grace.CancelAfter(ShutdownGrace);
            try
            {
                await scheduler.Shutdown(waitForJobsToComplete: false, grace.Token).AsTask().WaitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (grace.IsCancellationRequested)
            {
                LogShutdownAbandoned(logger, instance.Id, ShutdownGrace.TotalSeconds);
            }
        }
    }

    [LoggerMessage(EventId = 250, Level = LogLevel.Information, Message = "Scheduler {Instance} joined the cluster with {Strategies} strategies")]
    private static partial void LogStarted(ILogger logger, string instance, int strategies);

    [LoggerMessage(EventId = 251, Level = LogLevel.Warning, Message = "The cluster scheduler cannot start yet, tried again shortly: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string reason);

    [LoggerMessage(EventId = 254, Level = LogLevel.Error, Message = "The cluster's Quartz tables are gone ({Reason}): they are made again, and the strategies scheduled again")]
    private static partial void LogTablesGone(ILogger logger, string reason);

    [LoggerMessage(EventId = 255, Level = LogLevel.Error, Message = "The cluster's Quartz tables cannot be made again: {Reason}")]
    private static partial void LogNotRemade(ILogger logger, string reason);

    [LoggerMessage(EventId = 256, Level = LogLevel.Information, Message = "Scheduler {Instance}: cycles fire again on the schedule made again")]
    private static partial void LogRecovered(ILogger logger, string instance);

    [LoggerMessage(EventId = 257, Level = LogLevel.Warning, Message = "Scheduler {Instance} did not finish its shutdown within {Seconds} s (its database is slow or does not answer); the process stops without waiting for it")]
    private static partial void LogShutdownAbandoned(ILogger logger, string instance, double seconds);
}
