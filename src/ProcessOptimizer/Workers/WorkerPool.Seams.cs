namespace ProcessOptimizer.Workers;

/// <summary>Seams for tests: moments of a request's life that a test acts in, which no timing can reach reliably.</summary>
public sealed partial class WorkerPool
{
    /// <summary>
    /// Runs on a worker that has just answered a request, before its slot is given back: a seam for tests, which
    /// end the worker in that moment (where a death went unnoticed), or see in which order requests were answered.
    /// </summary>
    internal Func<WorkerProcess, SolveRequest, Task>? Answered { get; set; }

    /// <summary>
    /// Runs when the pool takes a request's solve as begun (the worker told of it, or the request is for a version
    /// it holds built), on the thread that learnt it and before the worker's next answer is read: a seam for tests,
    /// which freeze the worker there, so that its solve is still running for as long as they need. A test that
    /// waited to see the solve begun and then froze the worker lost, on a fast machine, to a solve that ended first.
    /// </summary>
    internal Action<WorkerProcess, SolveRequest>? SolveBegun { get; set; }

    // Synchronous: `started` runs its continuations on the thread that completes it (the worker's reader, or the
    // caller's for a version the worker holds built), which reads or sends nothing more until this has run.
    private void WatchBegun(WorkerProcess worker, SolveRequest request, TaskCompletionSource<long> started)
    {
        if (SolveBegun is { } begun)
        {
            _ = started.Task.ContinueWith(_ => begun(worker, request), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }
}
