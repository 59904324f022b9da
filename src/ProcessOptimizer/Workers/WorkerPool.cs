using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>
/// Warm solver worker processes, one request each at a time. A worker that crashes, grows past its memory cap or
/// runs past its solve's deadline and <see cref="AnswerGrace"/> is killed and a new one started in its place; only
/// the request it held fails.
/// </summary>
public sealed partial class WorkerPool : IHostedService, IAsyncDisposable
{
    private readonly Task<WorkerProcess>?[] _slots;
    // Each slot's request in flight, which may outlive the caller that gave up on it: the stop waits for its end.
    private readonly Task?[] _work;
    // Last in, first out: the worker that answered last takes the next request, so under light load one worker
    // stays warm (its thread awake, its caches and code hot) instead of requests taking turns between sleeping ones.
    private readonly ConcurrentStack<int> _idle = new();
    private readonly SemaphoreSlim _free;
    // Per slot, whether a request or a warm-up holds it (from taking the slot to giving it back), and whether its
    // worker ended meanwhile (Ended, marked by the watch of its exit, which then waits for the slot's release).
    private readonly int[] _held;
    private const int Idle = 0;
    private const int Held = 1;
    private const int Ended = 2;
    // Per slot, completed when a slot whose worker ended while held is given back; made by the watch that marked it.
    private readonly TaskCompletionSource?[] _released;
    // Per slot, starts that failed one after another: the pause before the next try doubles with each.
    private readonly int[] _failedStarts;
    private readonly WorkerStarter _starter;
    private readonly WorkerLimits _limits;
    private readonly ILogger<WorkerPool> _logger;
    private readonly CancellationTokenSource _stopping = new();
    // Taken once: a watch or a start that outlives the pool's end reads it after the source is disposed.
    private readonly CancellationToken _stoppingToken;
    private readonly long[] _restarts = new long[Enum.GetValues<WorkerFailure>().Length];
    private long _busyTicks;
    private int _waiting;
    // Per slot, requests waiting for its worker to start: a worker that has one skips its warm-up solve, since that
    // request's own solve warms it and would otherwise wait for the warm-up too.
    private readonly int[] _claims;
    private readonly WorkerWarmUp _warmUp;

    private readonly SolveQueue? _queue;
    private readonly StrategyCatalog? _strategies;

    /// <summary>
    /// How long past its solve's deadline a worker's answer may come before the worker is killed, and a request's
    /// whole wait may last past its deadline: the solver stops at its next callback after the deadline, and the
    /// answer then takes milliseconds to come back.
    /// </summary>
    public static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(2);

    /// <summary>The longest a solve with a deadline of <paramref name="maxSolveSeconds"/> takes to be answered: its deadline and <see cref="AnswerGrace"/>.</summary>
    public static TimeSpan AnswerBy(int maxSolveSeconds) => TimeSpan.FromSeconds(maxSolveSeconds) + AnswerGrace;

    /// <param name="queue">The queue in front of the pool, whose waiting requests are the pool's queue.</param>
    /// <param name="strategies">The deployed strategies, which every new worker builds and solves once before it takes a request; none: it builds each on its first request.</param>
    /// <param name="optimization">The settings of a warm-up solve before any request has been answered.</param>
    public WorkerPool(SolverSettingsSection settings, StorageSettings storage, ILogger<WorkerPool> logger, SolveQueue? queue = null, IMeterFactory? meters = null, StrategyCatalog? strategies = null, OptimizationSettings? optimization = null)
    {
        _queue = queue;
        _strategies = strategies;
        ArgumentNullException.ThrowIfNull(settings);
        if (meters is not null)
        {
            WorkerInstruments.Register(meters, this);
        }

        _slots = new Task<WorkerProcess>?[settings.Workers];
        _claims = new int[settings.Workers];
        _held = new int[settings.Workers];
        _released = new TaskCompletionSource?[settings.Workers];
        _failedStarts = new int[settings.Workers];
        _warmUp = new WorkerWarmUp(optimization, logger);
        _work = new Task?[settings.Workers];
        _free = new SemaphoreSlim(settings.Workers, settings.Workers);
        _limits = settings.Limits;
        _logger = logger;
        _stoppingToken = _stopping.Token;
        // Only what building a strategy needs: no endpoint or secret goes to a process that never opens the store.
        var storageJson = JsonSerializer.Serialize(new StorageSettings { DeployedVersionKey = storage.DeployedVersionKey, Limits = storage.Limits });
        _starter = new WorkerStarter(storageJson, _limits, strategies, _warmUp, () => Interlocked.Increment(ref _restarts[(int)WorkerFailure.Crashed]), logger);
        for (var i = _slots.Length - 1; i >= 0; i--)
        {
            _idle.Push(i);
        }
    }

    public int Size => _slots.Length;

    /// <summary>Requests waiting for a free worker now.</summary>
    public int Waiting => Volatile.Read(ref _waiting) + (_queue?.Waiting ?? 0);

    /// <summary>Time workers have spent solving, summed over workers.</summary>
    public TimeSpan BusyTime => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks));

    /// <summary>
    /// The workers now: process id (null while one starts), whether it holds a request, and whether that request's
    /// solve has begun (its strategy built; at once for a version the worker holds built).
    /// </summary>
    public IReadOnlyList<(int? Pid, bool Busy, bool Solving)> Workers => [.. _slots.Select(s => s is { IsCompletedSuccessfully: true } t ? ((int?)t.Result.Pid, t.Result.IsBusy, t.Result.IsSolving) : (null, false, false))];

    /// <summary>Resident memory of each running worker, in bytes.</summary>
    public IReadOnlyList<long> ResidentBytes => [.. Workers.Select(w => w.Pid is { } pid ? ResidentMemory.Of(pid) : null).OfType<long>()];

    public long Restarts(WorkerFailure reason) => Interlocked.Read(ref _restarts[(int)reason]);

    /// <summary>Warm-up solves that new workers ran to an answer before their first request, since the start.</summary>
    public long WarmUps => _warmUp.Count;

    /// <summary>Time the warm-up solves took, summed over workers; not part of <see cref="BusyTime"/>.</summary>
    public TimeSpan WarmUpTime => _warmUp.Time;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            Renew(i, null);
        }

        foreach (var strategy in _strategies?.All ?? [])
        {
            strategy.Repository.Switched += OnSwitched;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    /// <summary>
    /// Runs one request on a free worker, waiting for one if all are busy or the free one is starting. Waiting for a
    /// worker that has the request is bounded by the request's deadline and <see cref="AnswerGrace"/> from this call,
    /// and its building the strategy as long again from when it has the request; once the solve has begun, the
    /// worker's own kill bounds the wait: a worker that has not answered by the solve's deadline and the grace is
    /// replaced. A request for a deployed version the worker holds built has nothing to build: its solve counts as
    /// begun when it is sent.
    /// </summary>
    /// <param name="artifacts">The content of the request's artifacts, sent to a worker that lacks them.</param>
    /// <param name="slot">
    /// The request's place in the <see cref="SolveQueue"/>, released with the worker: when the worker has answered or
    /// been replaced, which may be after this call gave up on it, so that the queue never lets in a request for a
    /// worker that is still busy. Null when the caller holds no place.
    /// </param>
    /// <param name="cancellationToken">The caller's end: it leaves, or its own bound on the whole wait has passed.</param>
    /// <exception cref="SolverWorkerException">The worker was lost with this request, or killed past its deadline; it has been replaced.</exception>
    /// <exception cref="SolverLateException">No worker free, or none that began the solve, within the wait. The worker goes on.</exception>
    /// <exception cref="OperationCanceledException">The caller gave up before a worker had the request.</exception>
    /// <exception cref="SolveAbandonedException">The caller gave up on a worker that had the request, which goes on to its answer or its kill.</exception>
    public async Task<SolveReply> SolveAsync(SolveRequest request, IReadOnlyList<StoredArtifact> artifacts, IDisposable? slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = AnswerBy(request.MaxSolveSeconds);
        var asked = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _waiting);
        bool entered;
        try
        {
            // A free worker is taken at once, with no timer or linked token made for a wait that does not happen.
            entered = await _free.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            slot?.Dispose();
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        if (!entered)
        {
            slot?.Dispose();
            throw new SolverLateException($"no solver worker was free within {limit.TotalSeconds:G4} s");
        }

        var index = Take();
        if (_stopping.IsCancellationRequested)
        {
            // Stopped while this request waited: no worker is started for it.
            Free(index, slot);
            throw new OperationCanceledException("the solver workers are stopping");
        }

        // A worker that is starting or building the strategy is not killed for being slow, which would only make the
        // next request wait for a new one that must build again: only the pool's stop or Solver:KillAfterSeconds
        // ends it. One whose solve has begun is killed at the solve's deadline and the grace, counted from the
        // sending when the request's version is one the worker holds built (BuiltVersions). Either way the request
        // stops waiting at its own bound or when its caller goes. Started is completed on the worker's reader thread,
        // where this call then goes on to wait for the answer, without a hand-off to another thread.
        var handed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<long>();
        var work = RunAsync(index, request, _warmUp.Copy(request), artifacts, slot, handed, started);
        _work[index] = work;
        try
        {
            // A worker that is starting (new, or in place of a lost one) does not have the request yet: that wait is
            // the queue's, bounded as the wait for a free worker.
            if (!handed.Task.IsCompleted)
            {
                await Task.WhenAny(handed.Task, work).WaitAsync(Left(limit, asked), cancellationToken).ConfigureAwait(false);
            }

            // Building the strategy has the same bound again, from when the worker has the request.
            if (!started.Task.IsCompleted && handed.Task.IsCompletedSuccessfully)
            {
                await Task.WhenAny(started.Task, work).WaitAsync(Left(limit, handed.Task.Result), cancellationToken).ConfigureAwait(false);
            }

            // The solve has begun (or the worker answered, or was lost): the worker's kill bounds what is left.
            return await work.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            if (work.IsCompleted && !cancellationToken.IsCancellationRequested)
            {
                // The answer came as the wait ended: it is taken.
                return await work.ConfigureAwait(false);
            }

            // Whatever the worker ends with is looked at, so that no failure goes unobserved.
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            if (cancellationToken.IsCancellationRequested)
            {
                throw new SolveAbandonedException(work, cancellationToken);
            }

            throw new SolverLateException(
                handed.Task.IsCompleted
                    ? $"the solver worker did not begin the solve within {limit.TotalSeconds:G4} s of taking the request (it is building the strategy); it goes on, and a later request finds it ready"
                    : $"no solver worker was ready within {limit.TotalSeconds:G4} s (it is starting or building the deployed strategies); it goes on, and a later request finds it ready",
                work);
        }
    }

    private static TimeSpan Left(TimeSpan limit, long since)
    {
        var left = limit - Stopwatch.GetElapsedTime(since);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    // One request on the worker of one slot. A copy of the request to keep as the strategy's warm-up window (kept),
    // if any, is kept once the worker answers.
    // A worker that answered and lacks a version that went live while it held the request warms up on it once its
    // slot is given back, unless a request or a cycle waits by then (see WorkerPool.Versions).
    private async Task<SolveReply> RunAsync(int slot, SolveRequest request, SolveRequest? kept, IReadOnlyList<StoredArtifact> artifacts, IDisposable? place, TaskCompletionSource<long> handed, TaskCompletionSource<long> started)
    {
        var behind = false;
        var reply = await HoldAsync(slot, place, isRequest: true, async worker =>
        {
            handed.TrySetResult(Stopwatch.GetTimestamp());
            WatchBegun(worker, request, started);
            var reply = await worker.SolveAsync(request, artifacts, _limits, started, _stoppingToken).ConfigureAwait(false);
            if (Answered is { } answered)
            {
                await answered(worker, request).ConfigureAwait(false);
            }

            if (kept is not null && reply.Result is not null)
            {
                _warmUp.Answered(kept);
            }

            behind = Behind(worker);
            return reply;
        }).ConfigureAwait(false);
        if (behind && Waiting == 0)
        {
            _ = Task.Run(() => PrepareAsync(holdStarting: false));
        }

        return reply;
    }

    // The worker of one slot, taken by the caller, held by this call until `use` is done with it or it is replaced.
    // The queue's place is released with the slot, after it: the request the queue lets in next finds the worker free.
    // Only requests count in the busy time.
    private async Task<T> HoldAsync<T>(int slot, IDisposable? place, bool isRequest, Func<WorkerProcess, Task<T>> use)
    {
        var begun = Stopwatch.GetTimestamp();
        Task<WorkerProcess>? current = null;
        WorkerProcess? worker = null;
        try
        {
            Interlocked.Increment(ref _claims[slot]);
            try
            {
                worker = await (current = Current(slot)).ConfigureAwait(false);
                if (worker.HasExited)
                {
                    // It died while idle, before the watch of its exit replaced it: replaced now, without failing a
                    // request that it never held.
                    await ReplaceAsync(slot, current, worker, WorkerFailure.Crashed, "it ended while idle").ConfigureAwait(false);
                    worker = await (current = Current(slot)).ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _claims[slot]);
            }

            return await use(worker).ConfigureAwait(false);
        }
        catch (SolverWorkerException ex) when (!_stopping.IsCancellationRequested)
        {
            await ReplaceAsync(slot, current, worker, ex.Reason, ex.Message).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SolverWorkerException)
        {
            // The pool is stopping: the worker is ended, and none is started in its place.
            if (current is not null)
            {
                _ = Interlocked.CompareExchange(ref _slots[slot], null, current);
            }

            await EndAsync(worker).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (isRequest)
            {
                Interlocked.Add(ref _busyTicks, Stopwatch.GetElapsedTime(begun).Ticks);
            }

            Free(slot, place);
        }
    }

    // Called once the semaphore has been entered: it counts idle slots, so one is always stacked here.
    private int Take()
    {
        _idle.TryPop(out var index);
        Volatile.Write(ref _held[index], Held);
        return index;
    }

    // The worker's slot goes back first, then the queue's place: the request the queue lets in next finds it free.
    // A worker that ended while the slot was held is handed to the watch of its exit, which replaces it unless the
    // request that held it has done so (lost with it), whatever the request's outcome.
    private void Free(int slot, IDisposable? place)
    {
        if (Interlocked.Exchange(ref _held[slot], Idle) == Ended)
        {
            Interlocked.Exchange(ref _released[slot], null)?.TrySetResult();
        }

        _idle.Push(slot);
        _free.Release();
        place?.Dispose();
    }

    /// <summary>
    /// Ends every worker by killing it: a worker keeps nothing that a graceful exit would save, and a stop that
    /// waited for an idle worker to notice its closed channel would wait in vain for one that is frozen or starved.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var strategy in _strategies?.All ?? [])
        {
            strategy.Repository.Switched -= OnSwitched;
        }

        var ends = new List<Task>();
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.Exchange(ref _slots[i], null) is { } starting)
            {
                ends.Add(EndAsync(starting));
            }
        }

        await Task.WhenAll(ends).ConfigureAwait(false);
        // Their workers are gone, so the requests still in flight end at once (answered, failed or cancelled).
        await Task.WhenAll(_work.OfType<Task>().Select(w => w.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
