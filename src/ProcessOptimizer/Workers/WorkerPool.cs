using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>
/// Warm solver worker processes, one request each at a time. A worker that crashes, grows past its memory cap or
/// runs past its deadline is killed and a new one started in its place; only the request it held fails.
/// </summary>
public sealed partial class WorkerPool : IHostedService, IAsyncDisposable
{
    private readonly Task<WorkerProcess>?[] _slots;
    private readonly ConcurrentQueue<int> _idle = new();
    private readonly SemaphoreSlim _free;
    private readonly string _storageJson;
    private readonly WorkerLimits _limits;
    private readonly ILogger<WorkerPool> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly long[] _restarts = new long[Enum.GetValues<WorkerFailure>().Length];
    private long _busyTicks;
    private int _waiting;

    private readonly SolveQueue? _queue;

    /// <param name="queue">The queue in front of the pool, whose waiting requests are the pool's queue.</param>
    public WorkerPool(SolverSettingsSection settings, StorageSettings storage, ILogger<WorkerPool> logger, SolveQueue? queue = null, IMeterFactory? meters = null)
    {
        _queue = queue;
        ArgumentNullException.ThrowIfNull(settings);
        if (meters is not null)
        {
            WorkerInstruments.Register(meters, this);
        }

        _slots = new Task<WorkerProcess>?[settings.Workers];
        _free = new SemaphoreSlim(settings.Workers, settings.Workers);
        // Only what building a strategy needs: no endpoint or secret goes to a process that never opens the store.
        _storageJson = JsonSerializer.Serialize(new StorageSettings { DeployedVersionKey = storage.DeployedVersionKey, Limits = storage.Limits });
        _limits = settings.Limits;
        _logger = logger;
        for (var i = 0; i < _slots.Length; i++)
        {
            _idle.Enqueue(i);
        }
    }

    public int Size => _slots.Length;

    /// <summary>Requests waiting for a free worker now.</summary>
    public int Waiting => Volatile.Read(ref _waiting) + (_queue?.Waiting ?? 0);

    /// <summary>Time workers have spent solving, summed over workers.</summary>
    public TimeSpan BusyTime => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks));

    /// <summary>The workers now: process id (null while one starts) and whether it is solving.</summary>
    public IReadOnlyList<(int? Pid, bool Busy)> Workers => [.. _slots.Select(s => s is { IsCompletedSuccessfully: true } t ? ((int?)t.Result.Pid, t.Result.IsBusy) : (null, false))];

    /// <summary>Resident memory of each running worker, in bytes.</summary>
    public IReadOnlyList<long> ResidentBytes => [.. Workers.Select(w => w.Pid is { } pid ? ResidentMemory.Of(pid) : null).OfType<long>()];

    public long Restarts(WorkerFailure reason) => Interlocked.Read(ref _restarts[(int)reason]);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = WorkerProcess.StartAsync(_storageJson, _stopping.Token);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    /// <summary>Runs one request on a free worker, waiting for one if all are busy.</summary>
    /// <param name="artifacts">The content of the request's artifacts, sent to a worker that lacks them.</param>
    /// <exception cref="SolverWorkerException">The worker was lost with this request; it has been replaced.</exception>
    public async Task<SolveReply> SolveAsync(SolveRequest request, IReadOnlyList<StoredArtifact> artifacts, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await _free.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        // The semaphore counts idle slots, so one is always queued here.
        _idle.TryDequeue(out var slot);
        if (_stopping.IsCancellationRequested)
        {
            // Stopped while this request waited: no worker is started for it.
            _idle.Enqueue(slot);
            _free.Release();
            throw new OperationCanceledException("the solver workers are stopping");
        }

        var started = Stopwatch.GetTimestamp();
        WorkerProcess? worker = null;
        try
        {
            worker = await (_slots[slot] ??= WorkerProcess.StartAsync(_storageJson, _stopping.Token)).ConfigureAwait(false);
            if (worker.HasExited)
            {
                // It died while idle: replace it without failing a request that it never held.
                Interlocked.Increment(ref _restarts[(int)WorkerFailure.Crashed]);
                LogReplaced(_logger, worker.Pid, SolverWorkerException.Describe(WorkerFailure.Crashed), "it ended while idle");
                await ReplaceAsync(slot, worker).ConfigureAwait(false);
                worker = await _slots[slot]!.ConfigureAwait(false);
            }

            return await worker.SolveAsync(request, artifacts, _limits, cancellationToken).ConfigureAwait(false);
        }
        catch (SolverWorkerException ex)
        {
            Interlocked.Increment(ref _restarts[(int)ex.Reason]);
            LogReplaced(_logger, worker?.Pid, SolverWorkerException.Describe(ex.Reason), ex.Message);
            await ReplaceAsync(slot, worker).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            // Given up mid-message: the channel cannot be reused. The slot starts a new worker when next used, so
            // a shutdown that cancels requests in flight does not start workers it then has to stop.
            await ReplaceAsync(slot, worker, startNow: false).ConfigureAwait(false);
            throw;
        }
        finally
        {
            Interlocked.Add(ref _busyTicks, Stopwatch.GetElapsedTime(started).Ticks);
            _idle.Enqueue(slot);
            _free.Release();
        }
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
        var ends = new List<Task>();
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.Exchange(ref _slots[i], null) is { } starting)
            {
                ends.Add(EndAsync(starting));
            }
        }

        await Task.WhenAll(ends).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task ReplaceAsync(int slot, WorkerProcess? worker, bool startNow = true)
    {
        if (worker is not null)
        {
            worker.Kill();
            await worker.DisposeAsync().ConfigureAwait(false);
        }

        _slots[slot] = startNow && !_stopping.IsCancellationRequested ? WorkerProcess.StartAsync(_storageJson, _stopping.Token) : null;
    }

    private static async Task EndAsync(Task<WorkerProcess> starting)
    {
        try
        {
            var worker = await starting.ConfigureAwait(false);
            worker.Kill();
            await worker.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SolverWorkerException or OperationCanceledException)
        {
            // It never started; there is nothing to end.
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Solver worker {Pid} replaced ({Reason}): {Detail}")]
    private static partial void LogReplaced(ILogger logger, int? pid, string reason, string detail);
}
