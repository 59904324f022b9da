namespace ProcessOptimizer.Hosting;

/// <summary>
/// Raises the thread pool's minimum by the threads a database driver may hold, so that they do not starve the service.
/// </summary>
/// <remarks>
/// Npgsql cancels a statement (its timeout, or the service giving it up) by sending the server a cancel request over a
/// new connection, synchronously, and the pool thread that reads the statement's answer waits for that cancellation:
/// a server that stopped answering (SIGSTOP, a frozen machine) accepts the connection and never answers it, so the
/// thread is held for the driver's connect timeout, one per connection with a statement in flight. The pool's default
/// minimum is one thread per core, and past it the pool adds about two threads a second; with the pool held, the
/// answers to <c>/health</c>, the probes' hang checks and the timeouts themselves waited for it. (With the pool held
/// at four threads, a test saw queued work wait 17 s while six statements to a stopped server were cancelled.)
/// Threads up to the minimum are made as soon as work waits for one.
/// </remarks>
internal static class ThreadPoolHeadroom
{
    /// <summary>Makes room for <paramref name="held"/> pool threads held at once beyond one per core.</summary>
    public static void Reserve(int held)
    {
        ThreadPool.GetMinThreads(out var workers, out var completions);
        var wanted = Environment.ProcessorCount + held;
        if (workers < wanted)
        {
            ThreadPool.SetMinThreads(wanted, completions);
        }
    }
}
