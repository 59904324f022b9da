using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// The single-node schedule (SQLite, or clustering turned off): for each strategy, a cycle at start, then one at
/// each multiple of its interval after it, on the injected <see cref="TimeProvider"/>. A cycle that overruns (a
/// dependency hung) skips the slots it missed: the next cycle runs once, at the next slot, for the newest data,
/// never in a burst. A failing cycle is recorded and counted without ending the loop.
/// </summary>
public sealed class CycleLoop(CycleExecutor executor, StrategyCatalog strategies, TimeProvider time) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(strategies.All.Select(s => RunAsync(s, stoppingToken)));

    private async Task RunAsync(StrategyRuntime strategy, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(strategy.Settings.IntervalSeconds);
        var start = time.GetUtcNow();
        strategy.Health.ExpectFrom(start);
        while (!stoppingToken.IsCancellationRequested)
        {
            // One process never fires a slot twice, and its slots are its own (a restart starts new ones), so the
            // run carries no slot key: only the data key applies.
            await executor.RunGuardedAsync(strategy, null, stoppingToken).ConfigureAwait(false);
            try
            {
                var now = time.GetUtcNow();
                var wait = UntilNextSlot(start, now, interval);
                strategy.Health.Scheduled(now + wait);
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
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
