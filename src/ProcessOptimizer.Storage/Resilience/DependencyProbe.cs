namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// A cheap call to a dependency that health starts in the background, so that a dependency that stops answering
/// is reported within a second even when nothing else is calling it, while health itself never waits for it.
/// At most one probe is in flight.
/// </summary>
/// <param name="call">The probe, through the dependency's guard, so that its outcome is recorded there.</param>
/// <param name="failed">Told of a failure the guard does not record itself (one it does not count as the dependency being down).</param>
internal sealed class DependencyProbe(Func<CancellationToken, Task> call, TimeProvider clock, Action<Exception> failed)
{
    /// <summary>
    /// A probe is one round trip to a server on the same network, a few milliseconds; one that has not come back
    /// in half a second is a hang, reported long before the call's own timeout ends it.
    /// </summary>
    public static readonly TimeSpan NotAnsweringAfter = TimeSpan.FromMilliseconds(500);

    // Between the end of one probe and the start of the next: a health check polled in a tight loop costs the
    // dependency at most four calls a second, and a hang is still seen within 0.25 s + 0.5 s.
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(250);

    private long _startedAt;
    private long _endedAt;

    /// <summary>How long the probe in flight has been waiting, or zero when none is; starts one when it is due.</summary>
    /// <remarks>Never waits: the probe runs on the thread pool.</remarks>
    public TimeSpan Waiting()
    {
        var started = Interlocked.Read(ref _startedAt);
        if (started != 0)
        {
            return clock.GetElapsedTime(started);
        }

        var ended = Interlocked.Read(ref _endedAt);
        if ((ended == 0 || clock.GetElapsedTime(ended) >= Spacing) && Interlocked.CompareExchange(ref _startedAt, clock.GetTimestamp(), 0) == 0)
        {
            _ = RunAsync();
        }

        return TimeSpan.Zero;
    }

    private async Task RunAsync()
    {
        try
        {
            // On the pool: a driver may wait synchronously (SQLite's busy wait), and health must not.
            await Task.Run(() => call(CancellationToken.None)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failed(ex);
        }
        finally
        {
            Interlocked.Exchange(ref _endedAt, clock.GetTimestamp());
            Interlocked.Exchange(ref _startedAt, 0);
        }
    }
}
