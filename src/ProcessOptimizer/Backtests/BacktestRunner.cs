using System.Collections.Concurrent;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Hosting;

namespace ProcessOptimizer.Backtests;

/// <summary>
/// Runs the API's backtests in the background, at most <see cref="BacktestSettings.MaxRunning"/> at once. Their
/// solves wait behind every loop cycle and API request in the solve queue. Shutdown cancels them; each is stored
/// as cancelled with the steps done so far.
/// </summary>
public sealed partial class BacktestRunner(BacktestEngine engine, IBacktestStore store, BacktestSettings settings, TimeProvider time, ILogger<BacktestRunner> logger) : IHostedService
{
    private readonly ConcurrentDictionary<long, Running> _running = new();
    private readonly SemaphoreSlim _slots = new(settings.MaxRunning, settings.MaxRunning);
    private readonly CancellationTokenSource _stopping = new();
    private Task _sweeper = Task.CompletedTask;

    /// <summary>Prepares the backtest and starts it in the background.</summary>
    /// <returns>The stored backtest's id, or null when <see cref="BacktestSettings.MaxRunning"/> already run.</returns>
    /// <exception cref="BacktestException">The request is invalid or a version does not load.</exception>
    public async Task<long?> StartAsync(BacktestRequest request, CancellationToken cancellationToken)
    {
        if (!_slots.Wait(0, cancellationToken))
        {
            return null;
        }

        BacktestPlan plan;
        try
        {
            plan = await engine.PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release();
            throw;
        }

        var running = new Running(new CancellationTokenSource());
        _running[plan.Id] = running;
        running.Task = Task.Run(() => RunAsync(plan, running), CancellationToken.None);
        return plan.Id;
    }

    /// <summary>How far a backtest running here is; null when it is not running here.</summary>
    public BacktestProgress? Progress(long id) => _running.TryGetValue(id, out var running) ? running.Progress : null;

    /// <summary>Asks a backtest running here to stop; false when none runs under <paramref name="id"/>.</summary>
    /// <param name="reason">Stored as the cancelled backtest's error: who or what stopped it.</param>
    public bool Cancel(long id, string reason)
    {
        if (!_running.TryGetValue(id, out var running))
        {
            return false;
        }

        try
        {
            // Both a request and a shutdown stored plain "cancelled": after a restart, an operator could not tell
            // whether someone had stopped it. The first reason given is the one kept.
            Interlocked.CompareExchange(ref running.Reason, reason, null);
            running.Stop.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            // It ended just now.
            return false;
        }
    }

    /// <summary>Waits until the backtest is no longer running here.</summary>
    public Task WaitAsync(long id) => _running.TryGetValue(id, out var running) && running.Task is { } task ? task : Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sweeper = Task.Run(() => SweepAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sweeper.WaitAsync(cancellationToken).ConfigureAwait(false);
        // A backtest ending now disposes its source as this runs (one deleted just before a stop did): Cancel allows for it.
        foreach (var id in _running.Keys)
        {
            Cancel(id, "cancelled: the service stopped");
        }

        await Task.WhenAll(_running.Values.Select(r => r.Task ?? Task.CompletedTask)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(BacktestPlan plan, Running running)
    {
        using (plan)
        {
            try
            {
                await engine.RunAsync(plan, new Reporter(running), () => Volatile.Read(ref running.Reason), running.Stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The background task's boundary: the engine has stored the backtest as cancelled or failed.
                LogStopped(logger, plan.Id, ex.Message);
            }
            finally
            {
                _running.TryRemove(plan.Id, out _);
                running.Stop.Dispose();
                _slots.Release();
            }
        }
    }

    // A backtest whose process died (here before a restart, or on another replica) would stay "running" for ever:
    // at start and then every heartbeat period, those silent for longer than the limit are stored as failed.
    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(settings.HeartbeatInterval, time);
        do
        {
            try
            {
                var now = time.GetUtcNow();
                foreach (var id in await store.AbandonStaleAsync(now - settings.StaleAfter, now, cancellationToken).ConfigureAwait(false))
                {
                    LogAbandoned(logger, id, settings.StaleAfterSeconds);
                }
            }
            catch (Storage.Database.DatabaseException ex)
            {
                LogSweepFailed(logger, ex.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
        while (await timer.NextAsync(cancellationToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Backtest {Id} was still marked running with no sign of life for {Seconds} s: stored as failed (interrupted)")]
    private static partial void LogAbandoned(ILogger logger, long id, int seconds);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "Interrupted backtests could not be looked for: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Backtest {Id} stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, long id, string reason);

    private sealed class Reporter(Running running) : IProgress<BacktestProgress>
    {
        public void Report(BacktestProgress value) => running.Progress = value;
    }

    private sealed class Running(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;

        public Task? Task { get; set; }

        // A field, for Interlocked: set once, by the first Cancel.
        public string? Reason;

        private BacktestProgress? _progress;

        public BacktestProgress? Progress
        {
            get => Volatile.Read(ref _progress);
            set => Volatile.Write(ref _progress, value);
        }
    }
}
