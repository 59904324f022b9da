namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// A cheap call to a dependency that health starts in the background, so that a dependency that stops answering
/// is reported within a second even when nothing else is calling it, while health itself never waits for it.
/// At most one probe is in flight.
/// </summary>
/// <param name="call">The probe, through the dependency's guard, so that its outcome is recorded there.</param>
/// <param name="failed">Told of a failure the guard does not record itself (one it does not count as the dependency being down).</param>
/// <param name="lag">How late this process's own work runs; measured while a probe is in flight.</param>
/// <param name="history">The recent probes' answers, which set the bar for a hang.</param>
internal sealed class DependencyProbe(Func<CancellationToken, Task> call, TimeProvider clock, Action<Exception> failed, SchedulingLag? lag = null, ProbeHistory? history = null)
{
    // A probe is a few awaits on the thread pool (starting it, opening, the statement, the commit), each of which
    // waits its turn like the echo does; twice the echo's worst wait is what the service itself may have added.
    private const int OwnDelaysPerProbe = 2;

    // Between the end of one probe and the start of the next: a health check polled in a tight loop costs the
    // dependency at most four calls a second, and a hang is still seen within 0.25 s + 0.5 s.
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(250);

    private readonly SchedulingLag _lag = lag ?? new SchedulingLag(clock);
    private readonly ProbeHistory _history = history ?? new ProbeHistory(clock);
    private long _startedAt;
    private long _endedAt;
    private int _answered;

    /// <summary>
    /// How long the probe in flight has waited when that is a hang of the dependency, or null: none is in flight,
    /// it is young, or this process was itself late by enough to explain the wait. Starts a probe when one is due.
    /// </summary>
    /// <remarks>
    /// Never waits: the probe runs on the thread pool. Under a CPU load many times the cores, a probe of a healthy
    /// dependency came back after 0.5-0.8 s because its answer waited for this process to run, and health flapped
    /// between degraded and healthy. So the wait is judged net of the service's own lateness in the same window
    /// (<see cref="SchedulingLag"/>): an idle or lightly loaded service still reports a hang after 0.5 s; a starved
    /// one reports it once the wait exceeds what the starvation explains. And it is judged against the recent answers
    /// (<see cref="ProbeHistory"/>): after a run of slow answers, a wait must be twice the slowest of them. Likewise for a pause of the service itself
    /// (SIGSTOP): a probe in flight across it had waited 30 s at the wake, with the answer unread, and health said
    /// the database had not answered for 30 s; the heartbeat's gap is the pause, and is not the database's.
    /// </remarks>
    /// <param name="after">A longer wait to require, net of the lateness, than the one health uses (the history's).</param>
    public TimeSpan? NotAnswering(TimeSpan? after = null)
    {
        var started = Interlocked.Read(ref _startedAt);
        if (started != 0)
        {
            _lag.Echo();
            var waiting = clock.GetElapsedTime(started);
            var hangAfter = _history.HangAfter();
            return waiting - OwnLateness() >= (after > hangAfter ? after.Value : hangAfter) ? waiting : null;
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

    // What the service itself added to the probe's wait: twice the echo's worst queueing, or the time it did not run.
    private TimeSpan OwnLateness()
    {
        var queued = OwnDelaysPerProbe * _lag.Worst;
        var stalled = _lag.Stalled;
        return queued > stalled ? queued : stalled;
    }

    private async Task RunAsync()
    {
        try
        {
            // On the pool: a driver may wait synchronously (SQLite's busy wait), and health must not.
            await Task.Run(() => call(CancellationToken.None)).ConfigureAwait(false);

            // Only an answer sets the bar: a failure or a timeout says nothing of how fast the dependency answers.
            // Nor does the process's first answer: it opened the first connection and ran the probe's code for the
            // first time, and its slowness raised the bar for the next 10 s, so that a hang just after a start was
            // reported after more than a second.
            var took = clock.GetElapsedTime(Interlocked.Read(ref _startedAt)) - OwnLateness();
            if (Interlocked.Exchange(ref _answered, 1) == 1)
            {
                _history.Answered(took);
            }
        }
        catch (Exception ex)
        {
            failed(ex);
        }
        finally
        {
            _lag.Stop();
            Interlocked.Exchange(ref _endedAt, clock.GetTimestamp());
            Interlocked.Exchange(ref _startedAt, 0);
        }
    }
}
