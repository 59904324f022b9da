using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// Lets <c>slots</c> cycles solve at a time (one per solver worker; one in-process, since IPOPT with MUMPS solves
/// one problem per process) and decides who is next: a waiting loop cycle goes before every waiting API request, and at most <c>capacity</c> API requests
/// wait; past that, <see cref="TryEnterApiAsync"/> refuses at once instead of letting requests pile up. Backtest cycles go last, behind both.
/// </summary>
/// <remarks>
/// A caller whose token fires while it waits leaves the queue with <see cref="OperationCanceledException"/>, and a
/// loop cycle still waiting at its bound with <see cref="SolverLateException"/>; the slot is released by disposing
/// the lease, and passes straight to the next waiter.
/// </remarks>
public sealed class SolveQueue(int capacity, int slots = 1, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _loop = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _api = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _backtest = new();
    private int _free = slots;

    /// <summary>Loop cycles, API requests and backtest steps waiting now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _loop.Count + _api.Count + _backtest.Count;
            }
        }
    }

    /// <summary>Loop cycles waiting now.</summary>
    public int LoopWaiting
    {
        get
        {
            lock (_gate)
            {
                return _loop.Count;
            }
        }
    }

    /// <summary>
    /// Waits for the slot ahead of every API request, at most <paramref name="wait"/>: a cycle that gets no solver
    /// by then fails with <see cref="SolverLateException"/> rather than wait on for a worker that may never be free.
    /// </summary>
    public Task<IDisposable> EnterLoopAsync(TimeSpan wait, CancellationToken cancellationToken) => Enter(_loop, int.MaxValue, wait, cancellationToken)!;

    /// <summary>Waits for the slot behind any loop cycle, or returns null at once when <c>capacity</c> requests already wait.</summary>
    public Task<IDisposable>? TryEnterApiAsync(CancellationToken cancellationToken) => Enter(_api, capacity, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Waits for a slot behind every loop cycle and API request. A backtest bounds its own waiters (one per solver worker).</summary>
    public Task<IDisposable> EnterBacktestAsync(CancellationToken cancellationToken) => Enter(_backtest, int.MaxValue, Timeout.InfiniteTimeSpan, cancellationToken)!;

    private Task<IDisposable>? Enter(LinkedList<TaskCompletionSource<IDisposable>> line, int limit, TimeSpan wait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<IDisposable> waiter;
        LinkedListNode<TaskCompletionSource<IDisposable>> node;
        lock (_gate)
        {
            if (_free > 0)
            {
                _free--;
                return Task.FromResult<IDisposable>(new Lease(this));
            }

            if (line.Count >= limit)
            {
                return null;
            }

            waiter = new TaskCompletionSource<IDisposable>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = line.AddLast(waiter);
        }

        return Wait(waiter, node, line, wait, cancellationToken);
    }

    private async Task<IDisposable> Wait(TaskCompletionSource<IDisposable> waiter, LinkedListNode<TaskCompletionSource<IDisposable>> node, LinkedList<TaskCompletionSource<IDisposable>> line, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => Leave(node, line, () => waiter.TrySetCanceled(cancellationToken)));
        // A timer only for a bounded wait that does happen: a free slot is taken above without one.
        using var bound = wait == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(wait, _time);
        using var expiry = bound?.Token.Register(() => Leave(node, line, () => waiter.TrySetException(new SolverLateException($"no solver was free within {wait.TotalSeconds:G4} s"))));
        return await waiter.Task.ConfigureAwait(false);
    }

    // Still waiting: leave the line. Already handed the slot: the lease is in the task and must be released.
    private void Leave(LinkedListNode<TaskCompletionSource<IDisposable>> node, LinkedList<TaskCompletionSource<IDisposable>> line, Action end)
    {
        lock (_gate)
        {
            if (node.List is not null)
            {
                line.Remove(node);
                end();
            }
        }
    }

    private void Release()
    {
        TaskCompletionSource<IDisposable>? next;
        lock (_gate)
        {
            var line = _loop.Count > 0 ? _loop : _api.Count > 0 ? _api : _backtest;
            next = line.First?.Value;
            if (next is null)
            {
                _free++;
                return;
            }

            line.RemoveFirst();
        }

        next.SetResult(new Lease(this));
    }

    private sealed class Lease(SolveQueue queue) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                queue.Release();
            }
        }
    }
}
