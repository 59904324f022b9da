namespace ProcessOptimizer.Hosting;

/// <summary>The wait of a background round: its next tick, or false once the service is stopping.</summary>
internal static class TimerTicks
{
    public static async Task<bool> NextAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
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
}
