using ProcessOptimizer.Strategies;
using Quartz;

namespace ProcessOptimizer.Scheduling;

/// <summary>
/// Starts this replica's Quartz scheduler in the cluster, after making the stored schedule match the
/// configuration: one job and one trigger per enabled strategy, at its interval, skipping missed slots. A database
/// that is not there yet does not stop the service: the start is tried again every few seconds, and health says why.
/// </summary>
public sealed partial class ClusterSchedule(ISchedulerFactory factory, StrategyCatalog strategies, ServiceInstance instance, ILogger<ClusterSchedule> logger) : BackgroundService
{
    // Wall-clock pacing: a retry of a real server, not a step of the plant's schedule.
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(3);

    private IScheduler? _scheduler;

    /// <summary>Whether this replica's scheduler runs and takes part in the cluster.</summary>
    public bool IsRunning => _scheduler is { Status: SchedulerStatus.Running };

    /// <summary>Why the scheduler is not running yet, while it is not.</summary>
    public string? Error { get; private set; } = "the scheduler is starting";

    public string InstanceId => instance.Id;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var scheduler = await factory.GetScheduler(stoppingToken).ConfigureAwait(false);
                await MatchConfigurationAsync(scheduler, stoppingToken).ConfigureAwait(false);
                await scheduler.Start(stoppingToken).ConfigureAwait(false);
                _scheduler = scheduler;
                Error = null;
                LogStarted(logger, instance.Id, strategies.All.Count);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is SchedulerException or System.Data.Common.DbException or InvalidOperationException)
            {
                Error = ex.Message;
                LogNotStarted(logger, ex.Message);
            }

            try
            {
                await Task.Delay(RetryInterval, TimeProvider.System, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_scheduler is { } scheduler)
        {
            // Cycles in flight are cancelled and store nothing; the cluster fires their strategies' next slots elsewhere.
            await scheduler.Shutdown(waitForJobsToComplete: false, cancellationToken).ConfigureAwait(false);
        }
    }

    // Every replica does this at start. A trigger that already matches is left alone, so a replica joining the
    // cluster does not shift the others' cadence; a changed interval replaces it, a strategy no longer enabled
    // loses its job.
    private async Task MatchConfigurationAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        foreach (var strategy in strategies.All)
        {
            var interval = TimeSpan.FromSeconds(strategy.Settings.IntervalSeconds);
            var triggerKey = new TriggerKey(strategy.Name, StrategyCycleJob.Group);
            var existing = await scheduler.GetTrigger(triggerKey, cancellationToken).ConfigureAwait(false);
            if (existing is ISimpleTrigger stored && stored.RepeatInterval == interval)
            {
                continue;
            }

            var job = JobBuilder.Create<StrategyCycleJob>()
                .WithIdentity(strategy.Name, StrategyCycleJob.Group)
                .WithDescription($"cycle of strategy {strategy.Name}")
                .RequestRecovery()
                .Build();
            var trigger = TriggerBuilder.Create()
                .WithIdentity(triggerKey)
                .ForJob(job)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .Build();
            try
            {
                // Only a changed interval replaces a stored trigger: replicas starting together must not reset
                // each other's triggers while they fire.
                await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = existing is not null }, cancellationToken).ConfigureAwait(false);
                LogScheduled(logger, strategy.Name, strategy.Settings.IntervalSeconds);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another replica scheduled it first, from the same configuration.
            }
        }

        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(StrategyCycleJob.Group), cancellationToken).ConfigureAwait(false))
        {
            if (strategies.Find(key.Name) is null)
            {
                await scheduler.DeleteJob(key, cancellationToken).ConfigureAwait(false);
                LogRemoved(logger, key.Name);
            }
        }
    }

    [LoggerMessage(EventId = 250, Level = LogLevel.Information, Message = "Scheduler {Instance} joined the cluster with {Strategies} strategies")]
    private static partial void LogStarted(ILogger logger, string instance, int strategies);

    [LoggerMessage(EventId = 251, Level = LogLevel.Warning, Message = "The cluster scheduler cannot start yet, tried again shortly: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string reason);

    [LoggerMessage(EventId = 252, Level = LogLevel.Information, Message = "Strategy {Strategy} scheduled every {Interval} s")]
    private static partial void LogScheduled(ILogger logger, string strategy, int interval);

    [LoggerMessage(EventId = 253, Level = LogLevel.Information, Message = "Strategy {Strategy} is no longer enabled: its job is removed from the cluster")]
    private static partial void LogRemoved(ILogger logger, string strategy);
}
