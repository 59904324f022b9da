using ProcessOptimizer.Configuration;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// The continuous mode: a cycle at start, then one every <c>Optimization:IntervalSeconds</c>, driven by the
/// injected <see cref="TimeProvider"/>. A slow cycle delays the next one instead of overlapping it, and a
/// failing cycle is recorded without ending the loop.
/// </summary>
public sealed partial class CycleLoop(CycleExecutor executor, OptimizationSettings settings, CycleHealth health, TimeProvider time, ILogger<CycleLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.IntervalSeconds), time);
        do
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
                // The loop's boundary: whatever went wrong is logged and shown by /health, and the next cycle runs.
                health.Record(time.GetUtcNow(), null, ex.Message);
                LogFailed(logger, ex);
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

    [LoggerMessage(EventId = 210, Level = LogLevel.Error, Message = "Cycle failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
