namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// How late this process's own thread pool runs work: an echo (a work item that does nothing but note when it ran)
/// is queued on request, one at a time, and the longest wait between queuing and running since <see cref="Reset"/>
/// is kept. An echo still waiting counts with the time it has waited so far. A heartbeat on a timer adds how long the
/// process did not run at all (<see cref="Stalled"/>).
/// </summary>
/// <remarks>
/// On a machine whose run queue is many times its cores, every continuation of this process waits its turn; a
/// dependency's answer can then sit unread for longer than a hang takes to show. The echo waits in the same queue,
/// so it tells the two apart: the dependency is late, or the service is.
/// </remarks>
/// <param name="queue">Runs the echo later; the thread pool unless a test holds it back.</param>
/// <param name="heartbeat">Beats on a timer of <paramref name="clock"/> between <see cref="Reset"/> and <see cref="Stop"/>; false: a test calls <see cref="Beat"/>.</param>
internal sealed class SchedulingLag(TimeProvider clock, Action<Action>? queue = null, bool heartbeat = true)
{
    /// <summary>How often the heartbeat beats while a window is open.</summary>
    public static readonly TimeSpan BeatPeriod = TimeSpan.FromMilliseconds(100);

    private readonly Action<Action> _queue = queue ?? (work => ThreadPool.UnsafeQueueUserWorkItem(static w => w(), work, preferLocal: false));
    private readonly Lock _gate = new();
    private long _queuedAt;
    private long _worstTicks;
    private long _lastBeat;
    private long _stallTicks;
    private ITimer? _timer;

    /// <summary>The longest wait of an echo since <see cref="Reset"/>, the one still waiting included.</summary>
    public TimeSpan Worst
    {
        get
        {
            var queued = Interlocked.Read(ref _queuedAt);
            var waiting = queued == 0 ? TimeSpan.Zero : clock.GetElapsedTime(queued);
            var worst = TimeSpan.FromTicks(Interlocked.Read(ref _worstTicks));
            return waiting > worst ? waiting : worst;
        }
    }

    /// <summary>
    /// How long this process did not run in the window, in all: each beat later than its period adds its delay, and
    /// so does the time since the last beat. A pause (SIGSTOP, a machine frozen) adds its length, a CPU starved many
    /// times over adds the time it waited for a core; an echo that ran before a pause says nothing of either.
    /// </summary>
    public TimeSpan Stalled
    {
        get
        {
            var last = Interlocked.Read(ref _lastBeat);
            var since = last == 0 ? TimeSpan.Zero : clock.GetElapsedTime(last) - BeatPeriod;
            var stalled = TimeSpan.FromTicks(Interlocked.Read(ref _stallTicks));
            return since > TimeSpan.Zero ? stalled + since : stalled;
        }
    }

    /// <summary>Forgets the waits seen so far, and starts the heartbeat: a new window starts.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _worstTicks, 0);
        Interlocked.Exchange(ref _stallTicks, 0);
        Interlocked.Exchange(ref _lastBeat, clock.GetTimestamp());
        if (heartbeat)
        {
            lock (_gate)
            {
                _timer ??= clock.CreateTimer(static state => ((SchedulingLag)state!).Beat(), this, BeatPeriod, BeatPeriod);
            }
        }
    }

    /// <summary>Stops the heartbeat until the next window.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>The heartbeat: a gap since the last beat longer than its period is time this process did not run.</summary>
    public void Beat()
    {
        var now = clock.GetTimestamp();
        var last = Interlocked.Exchange(ref _lastBeat, now);
        if (last != 0)
        {
            var late = (clock.GetElapsedTime(last, now) - BeatPeriod).Ticks;
            if (late > 0)
            {
                Interlocked.Add(ref _stallTicks, late);
            }
        }
    }

    /// <summary>Queues an echo, unless one is waiting already.</summary>
    public void Echo()
    {
        if (Interlocked.CompareExchange(ref _queuedAt, clock.GetTimestamp(), 0) == 0)
        {
            _queue(Ran);
        }
    }

    private void Ran() => Max(ref _worstTicks, clock.GetElapsedTime(Interlocked.Exchange(ref _queuedAt, 0)).Ticks);

    private static void Max(ref long field, long value)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref field);
        }
        while (value > seen && Interlocked.CompareExchange(ref field, value, seen) != seen);
    }
}
