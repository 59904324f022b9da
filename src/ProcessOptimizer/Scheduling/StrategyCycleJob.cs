using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;
using Quartz;

namespace ProcessOptimizer.Scheduling;

/// <summary>
/// One strategy's cycle, fired by the Quartz cluster: the job's name is the strategy's. Quartz fires each trigger
/// on one replica and never runs one strategy's cycles side by side. A firing recovered after a replica died may
/// repeat a cycle that replica stored; the run's key makes that repeat store and report nothing.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class StrategyCycleJob(StrategyCatalog strategies, CycleExecutor executor, ILogger<StrategyCycleJob> logger) : IJob
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

        await executor.RunGuardedAsync(strategy, context.ScheduledFireTimeUtc, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 260, Level = LogLevel.Warning, Message = "The cluster fired strategy {Strategy}, which this replica does not run")]
    private static partial void LogUnknown(ILogger logger, string strategy);

    [LoggerMessage(EventId = 261, Level = LogLevel.Information, Message = "Strategy {Strategy}: running the cycle of {Slot:O} again, recovered from a replica that stopped during it")]
    private static partial void LogRecovering(ILogger logger, string strategy, DateTimeOffset? slot);
}
