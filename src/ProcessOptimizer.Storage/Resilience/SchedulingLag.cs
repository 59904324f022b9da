namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// How late this process's own thread pool runs work: an echo (a work item that does nothing but note when it ran)
/// is queued on request, one at a time, and the longest wait between queuing and running since <see cref="Reset"/>
/// is kept. An echo still waiting counts with the time it has waited so far.
/// </summary>
/// <remarks>
/// On a machine whose run queue is many times its cores, every continuation of this process waits its turn; a
/// dependency's answer can then sit unread for longer than a hang takes to show. The echo waits in the same queue,
/// so it tells the two apart: the dependency is late, or the service is.
/// </remarks>
/// <param name="queue">Runs the echo later; the thread pool unless a test holds it back.</param>
internal sealed class SchedulingLag(TimeProvider clock, Action<Action>? queue = null)
{
    private readonly Action<Action> _queue = queue ?? (work => ThreadPool.UnsafeQueueUserWorkItem(static w => w(), work, preferLocal: false));
    private long _queuedAt;
    private long _worstTicks;

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

    /// <summary>Forgets the waits seen so far: a new window starts.</summary>
    public void Reset() => Interlocked.Exchange(ref _worstTicks, 0);

    /// <summary>Queues an echo, unless one is waiting already.</summary>
    public void Echo()
    {
        if (Interlocked.CompareExchange(ref _queuedAt, clock.GetTimestamp(), 0) == 0)
        {
            _queue(Ran);
        }
    }

    private void Ran()
    {
        var waited = clock.GetElapsedTime(Interlocked.Exchange(ref _queuedAt, 0)).Ticks;
        long worst;
        do
        {
            worst = Interlocked.Read(ref _worstTicks);
        }
        while (waited > worst && Interlocked.CompareExchange(ref _worstTicks, waited, worst) != worst);
    }
}
