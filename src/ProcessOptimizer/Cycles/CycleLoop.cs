using System.Diagnostics;
using ProcessOptimizer.Scheduling;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// The single-node schedule (SQLite, or clustering turned off): for each strategy, a cycle at start, then one at
/// each multiple of its interval after it, on the injected <see cref="TimeProvider"/>. A cycle that overruns (a
/// dependency hung) skips the slots it missed: the next cycle runs once, at the next slot, for the newest data,
/// never in a burst. A slot whose wait ends more than <c>Scheduling:MisfireThresholdSeconds</c> late (this process
/// was paused or frozen across it) is skipped as the cluster skips one (<see cref="LateSlot"/>). A failing cycle is
/// recorded and counted without ending the loop. The loop begins once the database has the schema: a service that
/// started while its database did not answer runs its first cycle when the database does, not an error before.
/// </summary>
public sealed class CycleLoop(CycleExecutor executor, StrategyCatalog strategies, ProcessDatabase database, SchedulingSettings settings, ServiceMetrics metrics, TimeProvider time, ILogger<CycleLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await database.FirstMigrated.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await Task.WhenAll(strategies.All.Select(s => RunAsync(s, stoppingToken))).ConfigureAwait(false);
    }

    private async Task RunAsync(StrategyRuntime strategy, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(strategy.Settings.IntervalSeconds);
        var threshold = TimeSpan.FromSeconds(settings.MisfireThresholdSeconds);
        var start = time.GetUtcNow();
        strategy.Health.ExpectFrom(start);
        var due = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (due)
            {
                // One process never fires a slot twice, and its slots are its own (a restart starts new ones), so the
                // run carries no slot key: only the data key applies.
                await executor.RunGuardedAsync(strategy, null, stoppingToken).ConfigureAwait(false);
            }

            try
            {
                var now = time.GetUtcNow();
                var slot = now + UntilNextSlot(start, now, interval);
                strategy.Health.Scheduled(slot);
                var waiting = Stopwatch.GetTimestamp();
                await Task.Delay(slot - now, time, stoppingToken).ConfigureAwait(false);

                // A wait that ended this late did not end at its time: the process did not run across the slot. The
                // process's own monotonic clock must say so too, so that a clock set forward (or a test's clock
                // moved on by hand) is not taken for a pause.
                var overslept = Stopwatch.GetElapsedTime(waiting) - (slot - now) > threshold;
                var late = overslept ? LateSlot.By(slot, time.GetUtcNow(), threshold) : null;
                if (late is { } by)
                {
                    LateSlot.Skip(logger, metrics, strategy.Name, slot, by);
                }

                due = late is null;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>The wait until the first slot <c>start + k·interval</c> strictly after <paramref name="now"/>.</summary>
    internal static TimeSpan UntilNextSlot(DateTimeOffset start, DateTimeOffset now, TimeSpan interval)
    {
        var elapsed = Math.Max(0, (now - start).Ticks);
        return TimeSpan.FromTicks(interval.Ticks - (elapsed % interval.Ticks));
    }
}
