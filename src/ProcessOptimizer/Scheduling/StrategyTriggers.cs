using ProcessOptimizer.Strategies;
using Quartz;

namespace ProcessOptimizer.Scheduling;

/// <summary>The cluster's stored schedule for the configured strategies: one job and one trigger each, at its interval, skipping missed slots.</summary>
internal static partial class StrategyTriggers
{
    /// <summary>
    /// Every replica does this at start. A trigger that already matches is left alone, so a replica joining the
    /// cluster does not shift the others' cadence; a changed interval replaces it, a strategy no longer enabled
    /// loses its job.
    /// </summary>
    public static async Task MatchAsync(IScheduler scheduler, StrategyCatalog strategies, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var strategy in strategies.All)
        {
            var interval = TimeSpan.FromSeconds(strategy.Settings.IntervalSeconds);
            var existing = await scheduler.GetTrigger(Key(strategy), cancellationToken).ConfigureAwait(false);
            if (existing is ISimpleTrigger stored && stored.RepeatInterval == interval)
            {
                continue;
            }

            await ScheduleAsync(scheduler, strategy, replace: existing is not null, logger, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Schedules the strategy's job and trigger, from now on; <paramref name="replace"/> replaces a stored one.</summary>
    public static async Task ScheduleAsync(IScheduler scheduler, StrategyRuntime strategy, bool replace, ILogger logger, CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<StrategyCycleJob>()
            .WithIdentity(strategy.Name, StrategyCycleJob.Group)
            .WithDescription($"cycle of strategy {strategy.Name}")
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(Key(strategy))
            .ForJob(job)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(strategy.Settings.IntervalSeconds)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        try
        {
            // Only a changed interval replaces a stored trigger: replicas starting together must not reset each
            // other's triggers while they fire.
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = replace }, cancellationToken).ConfigureAwait(false);
            LogScheduled(logger, strategy.Name, strategy.Settings.IntervalSeconds);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another replica scheduled it first, from the same configuration.
        }
    }

    public static TriggerKey Key(StrategyRuntime strategy) => new(strategy.Name, StrategyCycleJob.Group);

    [LoggerMessage(EventId = 252, Level = LogLevel.Information, Message = "Strategy {Strategy} scheduled every {Interval} s")]
    private static partial void LogScheduled(ILogger logger, string strategy, int interval);

    [LoggerMessage(EventId = 253, Level = LogLevel.Information, Message = "Strategy {Strategy} is no longer enabled: its job is removed from the cluster")]
    private static partial void LogRemoved(ILogger logger, string strategy);
}
