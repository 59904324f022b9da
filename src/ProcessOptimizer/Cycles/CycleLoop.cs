using ProcessOptimizer.Configuration;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// The continuous mode: a cycle at start, then one at each multiple of <c>Optimization:IntervalSeconds</c>
/// after it, on the injected <see cref="TimeProvider"/>. A cycle that overruns (a dependency hung) skips the
/// slots it missed: the next cycle runs once, at the next slot, for the newest data, never in a burst. A
/// failing cycle is recorded and counted without ending the loop.
/// </summary>
public sealed partial class CycleLoop(CycleExecutor executor, OptimizationSettings settings, CycleHealth health, ServiceMetrics metrics, TimeProvider time, ILogger<CycleLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(settings.IntervalSeconds);
        var start = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await executor.RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The loop's boundary: whatever went wrong is logged, counted and shown by /health, and the next cycle runs.
                health.Record(time.GetUtcNow(), null, ex.Message);
                metrics.CycleThrew();
                LogFailed(logger, ex);
            }

            try
            {
                var now = time.GetUtcNow();
                var wait = UntilNextSlot(start, now, interval);
                health.Scheduled(now + wait);
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

    [LoggerMessage(EventId = 210, Level = LogLevel.Error, Message = "Cycle failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
