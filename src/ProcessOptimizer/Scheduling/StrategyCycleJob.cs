using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;
using Quartz;

namespace ProcessOptimizer.Scheduling;

/// <summary>
/// One strategy's cycle, fired by the Quartz cluster: the job's name is the strategy's. Quartz fires each trigger
/// on one replica and never runs one strategy's cycles side by side. A firing recovered after a replica died may
/// repeat a cycle that replica stored; the run's key makes that repeat store and report nothing.
/// </summary>
/// <remarks>
/// Quartz skips a slot it finds missed by more than the misfire threshold, but not one whose trigger it had already
/// taken when this replica stopped running (paused, frozen with its machine) or the database stopped answering:
/// that one fires when the replica or the database is back, many seconds late. Such a slot is skipped here as a
/// misfire would be, with a warning and a count in <c>/metrics</c>: a cycle on stale timing would only run into
/// the next slot's, which comes on time.
/// </remarks>
[DisallowConcurrentExecution]
public sealed partial class StrategyCycleJob(StrategyCatalog strategies, CycleExecutor executor, SchedulingSettings settings, ServiceMetrics metrics, IHostApplicationLifetime lifetime, ILogger<StrategyCycleJob> logger) : IJob
{
    public const string Group = "strategies";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.JobDetail.Key.Name;
        if (strategies.Find(name) is not { } strategy)
        {
            // A replica configured without this strategy (a rolling change of the list): another one runs it.
            LogUnknown(logger, name);
            return;
        }

        if (context.Recovering)
        {
            LogRecovering(logger, name, context.ScheduledFireTimeUtc);
        }
        else if (LateSlot.By(context.ScheduledFireTimeUtc, TimeProvider.System.GetUtcNow(), TimeSpan.FromSeconds(settings.MisfireThresholdSeconds)) is { } late)
        {
            // The cluster agrees on wall-clock time, as Quartz's own misfire check does. A recovered firing is
            // exempt (above): it runs a slot again on purpose, after a replica died during it.
            LateSlot.Skip(logger, metrics, name, context.ScheduledFireTimeUtc!.Value, late);
            return;
        }

        // The service's shutdown stops the cycle at once, as the single-node loop's does: the job then ends before
        // Quartz's store shuts down, instead of failing against it, and the cycle ends as abandoned, not as a failure.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        await executor.RunGuardedAsync(strategy, context.ScheduledFireTimeUtc, stopping.Token).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 260, Level = LogLevel.Warning, Message = "The cluster fired strategy {Strategy}, which this replica does not run")]
    private static partial void LogUnknown(ILogger logger, string strategy);

    [LoggerMessage(EventId = 261, Level = LogLevel.Information, Message = "Strategy {Strategy}: running the cycle of {Slot:O} again, recovered from a replica that stopped during it")]
    private static partial void LogRecovering(ILogger logger, string strategy, DateTimeOffset? slot);
}
