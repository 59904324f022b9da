namespace ProcessOptimizer.Storage.Resilience;

/// <summary>
/// A driver's call that ends for its caller as soon as the caller's token fires, whatever the driver still does. The
/// driver is given a cancellation of its own, which is cancelled then on a thread of its own.
/// </summary>
/// <remarks>
/// Npgsql cancels a statement by sending the server a cancel request over a new connection, synchronously, inside the
/// token's cancellation: a server that is stopped (SIGSTOP, a frozen machine) accepts that connection and answers
/// nothing, so the thread that cancels is held until the driver's connect timeout ends (about 6 s at a 5 s timeout).
/// Given the caller's token, the driver held the timeout's own timer thread that long, the call ended that much past its
/// timeout, and the guard took the late end for a pause of this process and tried again: a write begun at a pause
/// waited up to four timeouts, and the answers queued behind it with it.
/// </remarks>
internal static class DriverCall
{
    /// <summary>Runs <paramref name="call"/> on <paramref name="state"/>; when <paramref name="cancellationToken"/> fires first, throws <see cref="OperationCanceledException"/> on it at once.</summary>
    /// <remarks>
    /// A call given up runs on until the driver ends it: its connection is closed then, and its outcome, which is no
    /// one's any more, is observed so that it is not reported as unobserved. A call that completes at once is
    /// answered without a task.
    /// </remarks>
    public static async ValueTask<T> RunAsync<TState, T>(Func<TState, CancellationToken, ValueTask<T>> call, TState state, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return await call(state, cancellationToken).ConfigureAwait(false);
        }

        // Not disposed: it has no timer and no wait handle to release, and a call given up may still use it.
        var driver = new CancellationTokenSource();
        var pending = call(state, driver.Token);
        if (pending.IsCompleted)
        {
            return await pending.ConfigureAwait(false);
        }

        var work = pending.AsTask();
        try
        {
            return await work.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !work.IsCompleted)
        {
            CancelApart(driver, work);
            throw;
        }
    }

    // The driver's cancellation may block for its connect timeout: on a thread of its own, not on the timer thread that
    // fired the timeout (a pool thread). One short-lived thread per call given up, which only a timeout or a
    // cancellation makes.
    private static void CancelApart<T>(CancellationTokenSource driver, Task<T> work)
    {
        new Thread(static state => ((CancellationTokenSource)state!).Cancel()) { IsBackground = true, Name = "Driver cancellation" }.Start(driver);
        _ = work.ContinueWith(static done => _ = done.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
