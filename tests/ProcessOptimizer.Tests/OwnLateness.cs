using System.Diagnostics;

namespace ProcessOptimizer.Tests;

/// <summary>
/// How long this test process, and so the service it hosts, could not run its own work while a test waited: a
/// thread of its own beats every 50 ms, each beat queuing one work item on the thread pool and waiting for it to run,
/// and the time by which each beat came late is added up.
/// </summary>
/// <remarks>
/// A bound on how soon the service answers is what the service promises plus this. On a quiet machine it is a few
/// milliseconds and the bound is the promise; on a machine whose run queue is many times its cores (a CI run that
/// starts PostgreSQL, a browser and solver workers beside the tests) the service's timers and continuations wait
/// their turn, and an answer that came in time by the service's own clock arrives seconds after it by the wall's.
/// <para>
/// The beat is not a pool timer: a timer callback that blocks (a driver's cancellation held one for 6 s) delays the
/// other timers of its queue, and the lateness would then hide the very defect a test looks for. The pool's queue
/// is measured, by the work item, because the service's answers wait in it.
/// </para>
/// </remarks>
internal sealed class OwnLateness : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);

    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lateTicks;
    private long _beatAt = Stopwatch.GetTimestamp();

    private OwnLateness()
    {
        _thread = new Thread(Beat) { IsBackground = true, Name = "Own lateness" };
        _thread.Start();
    }

    /// <summary>The lateness summed since the start, the beat in progress included when it is overdue.</summary>
    public TimeSpan Total
    {
        get
        {
            var overdue = Stopwatch.GetElapsedTime(Interlocked.Read(ref _beatAt)) - Period;
            var summed = TimeSpan.FromTicks(Interlocked.Read(ref _lateTicks));
            return overdue > TimeSpan.Zero ? summed + overdue : summed;
        }
    }

    /// <summary>The wall time since the start.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    public static OwnLateness Start() => new();

    /// <summary><paramref name="promised"/>, plus the time this process did not run since the start.</summary>
    public TimeSpan Allow(TimeSpan promised) => promised + Total;

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Beat()
    {
        using var ran = new ManualResetEventSlim();
        while (!_stop.IsCancellationRequested)
        {
            ran.Reset();
            ThreadPool.UnsafeQueueUserWorkItem(static r => r.Set(), ran, preferLocal: false);
            ran.Wait();
            _stop.Token.WaitHandle.WaitOne(Period);
            var now = Stopwatch.GetTimestamp();
            var late = (Stopwatch.GetElapsedTime(Interlocked.Exchange(ref _beatAt, now), now) - Period).Ticks;
            if (late > 0)
            {
                Interlocked.Add(ref _lateTicks, late);
            }
        }
    }
}
