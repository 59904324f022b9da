namespace ProcessOptimizer.Cycles;

/// <summary>
/// Lets <c>slots</c> cycles solve at a time (one per solver worker; one in-process, since IPOPT with MUMPS solves
/// one problem per process) and decides who is next: a waiting loop cycle goes before every waiting API request, and at most <c>capacity</c> API requests
/// wait; past that, <see cref="TryEnterApiAsync"/> refuses at once instead of letting requests pile up. Backtest cycles go last, behind both.
/// </summary>
/// <remarks>
/// A caller whose token fires while it waits leaves the queue with <see cref="OperationCanceledException"/>;
/// the slot is released by disposing the lease, and passes straight to the next waiter.
/// </remarks>
public sealed class SolveQueue(int capacity, int slots = 1)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _loop = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _api = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _backtest = new();
    private int _free = slots;

    /// <summary>API requests waiting now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _api.Count;
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

    /// <summary>Waits for the slot ahead of every API request.</summary>
    public Task<IDisposable> EnterLoopAsync(CancellationToken cancellationToken) => Enter(_loop, int.MaxValue, cancellationToken)!;

    /// <summary>Waits for the slot behind any loop cycle, or returns null at once when <c>capacity</c> requests already wait.</summary>
    public Task<IDisposable>? TryEnterApiAsync(CancellationToken cancellationToken) => Enter(_api, capacity, cancellationToken);

    /// <summary>Waits for a slot behind every loop cycle and API request. A backtest bounds its own waiters (one per solver worker).</summary>
    public Task<IDisposable> EnterBacktestAsync(CancellationToken cancellationToken) => Enter(_backtest, int.MaxValue, cancellationToken)!;

    private Task<IDisposable>? Enter(LinkedList<TaskCompletionSource<IDisposable>> line, int limit, CancellationToken cancellationToken)
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

        return Wait(waiter, node, line, cancellationToken);
    }

    private async Task<IDisposable> Wait(TaskCompletionSource<IDisposable> waiter, LinkedListNode<TaskCompletionSource<IDisposable>> node, LinkedList<TaskCompletionSource<IDisposable>> line, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                // Still waiting: leave the line. Already handed the slot: the lease is in the task and must be released.
                if (node.List is not null)
                {
                    line.Remove(node);
                    waiter.TrySetCanceled(cancellationToken);
                }
            }
        });
        return await waiter.Task.ConfigureAwait(false);
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
