namespace ProcessOptimizer.Workers;

/// <summary>The pool's slots: a lost worker is ended and one new worker started in its place, whoever finds it lost first.</summary>
public sealed partial class WorkerPool
{
    private static readonly TimeSpan RetryStartAfter = TimeSpan.FromSeconds(1);

    // A start that keeps failing (no room for a socket, no process to be had) is tried again after a pause that
    // doubles up to this: every second for ever filled the log and the restart counts of a stuck machine.
    private static readonly TimeSpan RetryStartAtMost = TimeSpan.FromSeconds(30);

    // The slot's worker, started or starting; a slot emptied by the pool's stop gets none.
    private Task<WorkerProcess> Current(int slot)
    {
        if (Volatile.Read(ref _slots[slot]) is null)
        {
            Renew(slot, null);
        }

        return Volatile.Read(ref _slots[slot]) ?? throw new OperationCanceledException("the solver workers are stopping");
    }

    /// <summary>
    /// Starts a new worker in <paramref name="slot"/> in place of <paramref name="expected"/>, unless another caller
    /// did so first: the request that lost a worker and the watch of its exit may both try, and only one worker is
    /// started. True for the caller that started it.
    /// </summary>
    private bool Renew(int slot, Task<WorkerProcess>? expected)
    {
        if (_stopping.IsCancellationRequested)
        {
            return false;
        }

        // Made unstarted, so that a caller that loses the race starts no process.
        var start = new Task<Task<WorkerProcess>>(() => _starter.StartAsync(() => Volatile.Read(ref _claims[slot]) != 0, _stoppingToken));
        var starting = start.Unwrap();
        if (Interlocked.CompareExchange(ref _slots[slot], starting, expected) != expected)
        {
            return false;
        }

        start.Start(TaskScheduler.Default);
        _ = WatchAsync(slot, starting);
        return true;
    }

    // A worker that ends while idle (killed from outside, or out of memory) is replaced at once, where it was found
    // only by the next request, which then waited for a new worker and found it cold. One that the pool ended, or
    // that a request holds, is left to them.
    private async Task WatchAsync(int slot, Task<WorkerProcess> starting)
    {
        await ((Task)starting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!starting.IsCompletedSuccessfully)
        {
            // It did not start (killed before it connected, say): another is started in its place, where the slot
            // kept the failure for the next request, which failed on it. The pause keeps a start that always fails
            // from spinning; a request that comes meanwhile meets the failure and starts one itself.
            if (starting.Exception?.InnerException is SolverWorkerException failed)
            {
                var failures = Math.Min(Interlocked.Increment(ref _failedStarts[slot]), 16);
                var pause = TimeSpan.FromTicks(Math.Min(RetryStartAfter.Ticks << (failures - 1), RetryStartAtMost.Ticks));
                await Task.Delay(pause, _stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!_stopping.IsCancellationRequested)
                {
                    await ReplaceAsync(slot, starting, null, failed.Reason, failed.Detail).ConfigureAwait(false);
                }
            }

            return;
        }

        Volatile.Write(ref _failedStarts[slot], 0);
        var worker = starting.Result;
        var ending = await worker.Exited.ConfigureAwait(false);
        if (worker.EndedByPool || _stopping.IsCancellationRequested)
        {
            return;
        }

        // A held slot is its holder's until it is given back: a worker lost in a solve fails that request, which
        // replaces it and counts the loss. One that ended after its answer was read fails nobody, and was left in
        // its slot, counted alive, until the next request found it dead and waited for one started cold: the mark
        // has the release wake this watch, which replaces it then unless the holder did (Renew decides, so the loss
        // is counted once). All watches of a slot's workers share one signal, so none waits for ever.
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = Interlocked.CompareExchange(ref _released[slot], fresh, null) ?? fresh;
        var held = Interlocked.CompareExchange(ref _held[slot], Ended, Held);
        if (held != Idle)
        {
            await released.Task.ConfigureAwait(false);
        }

        await ReplaceAsync(slot, starting, worker, WorkerFailure.Crashed, held == Idle ? $"{ending} while idle" : $"{ending} after its last answer, before its slot was given back").ConfigureAwait(false);
    }

    // Ends the lost worker and starts one in its place; counted and logged once, by whichever caller started it.
    private async Task ReplaceAsync(int slot, Task<WorkerProcess>? lost, WorkerProcess? worker, WorkerFailure reason, string detail)
    {
        await EndAsync(worker).ConfigureAwait(false);
        if (Renew(slot, lost))
        {
            Interlocked.Increment(ref _restarts[(int)reason]);
            LogReplaced(_logger, worker?.Pid, SolverWorkerException.Describe(reason), detail);
        }
    }

    private static async Task EndAsync(WorkerProcess? worker)
    {
        if (worker is not null)
        {
            worker.Kill();
            await worker.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task EndAsync(Task<WorkerProcess> starting)
    {
        try
        {
            await EndAsync(await starting.ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SolverWorkerException or OperationCanceledException)
        {
            // It never started; there is nothing to end.
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Solver worker {Pid} replaced ({Reason}): {Detail}")]
    private static partial void LogReplaced(ILogger logger, int? pid, string reason, string detail);
}
