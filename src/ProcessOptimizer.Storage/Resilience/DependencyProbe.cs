namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// A cheap call to a dependency that health starts in the background, so that a dependency that stops answering
/// is reported within a second even when nothing else is calling it, while health itself never waits for it.
/// At most one probe is in flight.
/// </summary>
/// <param name="call">The probe, through the dependency's guard, so that its outcome is recorded there.</param>
/// <param name="failed">Told of a failure the guard does not record itself (one it does not count as the dependency being down).</param>
/// <param name="lag">How late this process's own work runs; measured while a probe is in flight.</param>
internal sealed class DependencyProbe(Func<CancellationToken, Task> call, TimeProvider clock, Action<Exception> failed, SchedulingLag? lag = null)
{
    /// <summary>
    /// A probe is one round trip to a server on the same network, a few milliseconds; one that has not come back
    /// in half a second is a hang, reported long before the call's own timeout ends it.
    /// </summary>
    public static readonly TimeSpan NotAnsweringAfter = TimeSpan.FromMilliseconds(500);

    // A probe is a few awaits on the thread pool (starting it, opening, the statement, the commit), each of which
    // waits its turn like the echo does; twice the echo's worst wait is what the service itself may have added.
    private const int OwnDelaysPerProbe = 2;

    // Between the end of one probe and the start of the next: a health check polled in a tight loop costs the
    // dependency at most four calls a second, and a hang is still seen within 0.25 s + 0.5 s.
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(250);

    private readonly SchedulingLag _lag = lag ?? new SchedulingLag(clock);
    private long _startedAt;
    private long _endedAt;

    /// <summary>
    /// How long the probe in flight has waited when that is a hang of the dependency, or null: none is in flight,
    /// it is young, or this process was itself late by enough to explain the wait. Starts a probe when one is due.
    /// </summary>
    /// <remarks>
    /// Never waits: the probe runs on the thread pool. Under a CPU load many times the cores, a probe of a healthy
    /// dependency came back after 0.5-0.8 s because its answer waited for this process to run, and health flapped
    /// between degraded and healthy. So the wait is judged net of the service's own lateness in the same window
    /// (<see cref="SchedulingLag"/>): an idle or lightly loaded service still reports a hang after 0.5 s; a starved
    /// one reports it once the wait exceeds what the starvation explains.
    /// </remarks>
    public TimeSpan? NotAnswering()
    {
        var started = Interlocked.Read(ref _startedAt);
        if (started != 0)
        {
            _lag.Echo();
            var waiting = clock.GetElapsedTime(started);
            return waiting - (OwnDelaysPerProbe * _lag.Worst) >= NotAnsweringAfter ? waiting : null;
        }

        var ended = Interlocked.Read(ref _endedAt);
        if ((ended == 0 || clock.GetElapsedTime(ended) >= Spacing) && Interlocked.CompareExchange(ref _startedAt, clock.GetTimestamp(), 0) == 0)
        {
            _lag.Reset();
            _lag.Echo();
            _ = RunAsync();
        }

        return null;
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
