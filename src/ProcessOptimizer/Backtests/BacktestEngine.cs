using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Results;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Backtests;

/// <summary>
/// Replays strategy versions over past data with the loop's own cycle: at each step, the window as of that time
/// (<see cref="CycleExecutor.WindowAsync"/>), the data guards, and the solve (<see cref="CycleExecutor.SolveAsync"/>),
/// on the solver workers behind every loop cycle and API request. Windows are read one step at a time and at most a
/// few dozen are held at once, so memory does not grow with the period. Steps are stored in the backtest tables.
/// </summary>
public sealed partial class BacktestEngine(
    StrategyRepository strategies,
    CycleExecutor executor,
    IProcessDataSource data,
    IBacktestStore store,
    SolveQueue queue,
    INonlinearSolver solver,
    OptimizationSettings settings,
    BacktestSettings backtests,
    TimeProvider time,
    ILogger<BacktestEngine> logger,
    IpoptLibrary library,
    WorkerPool? pool = null)
{
    private static readonly TimeSpan EndRetryInterval = TimeSpan.FromSeconds(2);

    /// <summary>Checks the request, loads every version and stores the backtest as running.</summary>
    /// <exception cref="BacktestException">The request is invalid or a version does not load; nothing is stored.</exception>
    /// <exception cref="SolverUnavailableException">The solver's library is not installed here; nothing is stored.</exception>
    public async Task<BacktestPlan> PrepareAsync(BacktestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Every step would fail for the same reason: refused whole, before a backtest is stored as running.
        library.ThrowIfUnavailable();
        var step = request.Step ?? TimeSpan.FromSeconds(settings.IntervalSeconds);
        if (step <= TimeSpan.Zero || request.From >= request.To)
        {
            throw new BacktestException(step <= TimeSpan.Zero ? $"the step must be positive (got {step})" : $"'from' ({request.From:O}) must be before 'to' ({request.To:O})");
        }

        var count = (long)Math.Ceiling((request.To - request.From) / step);
        if (count > BacktestRequest.MaxSteps)
        {
            throw new BacktestException($"{count} steps of {step} from {request.From:O} to {request.To:O}; at most {BacktestRequest.MaxSteps} are allowed");
        }

        var loaded = new List<DeployedStrategy>();
        try
        {
            await LoadAsync(request.Versions, loaded, cancellationToken).ConfigureAwait(false);
            var versions = new List<BacktestVersion>();
            foreach (var deployed in loaded)
            {
                versions.Add(await BacktestVersion.PrepareAsync(deployed, strategies.Store, request.Horizon, cancellationToken).ConfigureAwait(false));
            }

            ThrowIfPastTheEndOfTime(request.To, versions);

            var id = await store.CreateAsync(
                new BacktestRecord
                {
                    StrategyName = StrategyRepository.StrategyName,
                    From = request.From,
                    To = request.To,
                    Step = step,
                    Versions = [.. versions.Select(v => v.Version)],
                    Status = BacktestStatus.Running,
                    CreatedAt = time.GetUtcNow(),
                    StepsTotal = (int)count * versions.Count,
                },
                cancellationToken).ConfigureAwait(false);
            return new BacktestPlan(id, StrategyRepository.StrategyName, request.From, request.To, step, (int)count, versions);
        }
        catch (Exception)
        {
            // No plan holds them: versions loaded apart for it are dropped here.
            loaded.ForEach(d => d.Drop());
            throw;
        }
    }

    // A prediction is measured up to its horizon after the last step: a horizon reaching past the last time a
    // DateTimeOffset holds ('horizon': '3650000d') failed the first measurement on the date arithmetic, and the
    // backtest, already answered 202, ended failed with "un-representable DateTime" for its only reason.
    private static void ThrowIfPastTheEndOfTime(DateTimeOffset to, IReadOnlyList<BacktestVersion> versions)
    {
        foreach (var version in versions)
        {
            if (version.Predicted.FirstOrDefault(p => p.Horizon is { } horizon && DateTimeOffset.MaxValue - to < horizon) is { } far)
            {
                throw new BacktestException($"version {version.Version}, {far.Predicted}: the horizon {far.Horizon} after 'to' ({to:O}) reaches past {DateTimeOffset.MaxValue:O}, the last time that can be measured");
            }
        }
    }

    /// <summary>Runs every step, stores the steps and the summary, and returns the summary.</summary>
    /// <remarks>
    /// Cancelled, the backtest is stored as <c>cancelled</c> with the steps done so far, and with
    /// <paramref name="stopReason"/>'s answer (or plain "cancelled") as its error, and the exception propagates;
    /// a database failure stores it as <c>failed</c> when it can.
    /// </remarks>
    /// <param name="stopReason">Who or what cancelled it, asked once it has stopped; null for plain "cancelled".</param>
    public async Task<BacktestSummary> RunAsync(BacktestPlan plan, IProgress<BacktestProgress>? progress, Func<string?>? stopReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var clock = Stopwatch.StartNew();
        var reports = plan.Versions.Select(v => new VersionReport(v, plan.From, plan.To)).ToList();
        var parallel = pool?.Size ?? 1;
        // Steps read but not yet summed: bounds the windows held, whatever the length of the period.
        using var outstanding = new SemaphoreSlim((2 * plan.Versions.Count) + (4 * parallel) + 8);
        var work = Channel.CreateBounded<StepWork>(2 * parallel);
        var done = Channel.CreateUnbounded<StepDone>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(plan, work.Writer, outstanding, stop.Token), CancellationToken.None);
        var solvers = Enumerable.Range(0, parallel).Select(_ => Task.Run(() => SolveAllAsync(work.Reader, done.Writer, stop.Token), CancellationToken.None)).ToArray();
        _ = Task.WhenAll(solvers).ContinueWith(t => done.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        var summer = new StepSummer(plan, reports, new CycleRunner(solver), store, outstanding, progress, clock);
        var heartbeat = Task.Run(() => BeatAsync(plan.Id, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var finished in done.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await summer.AddAsync(finished, stop.Token).ConfigureAwait(false);
            }

            await producer.ConfigureAwait(false);
            await summer.FinishAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll([producer, heartbeat, .. solvers]).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            var cancelled = cancellationToken.IsCancellationRequested;
            await KeepDoneAsync(plan.Id, summer).ConfigureAwait(false);
            LogEnded(logger, plan.Id, cancelled ? "cancelled" : "failed", ex.Message);
            await EndAsync(plan.Id, cancelled ? BacktestStatus.Cancelled : BacktestStatus.Failed, null, cancelled ? stopReason?.Invoke() ?? "cancelled" : ex.Message, cancellationToken).ConfigureAwait(false);
            throw;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);
        var summary = new BacktestSummary(plan.Id, plan.Strategy, plan.From, plan.To, plan.Step.TotalSeconds, plan.Versions.Zip(reports).ToDictionary(p => p.First.Version, p => p.Second.Summary(), StringComparer.Ordinal));
        await FinishRetryingAsync(plan.Id, BacktestStatus.Completed, JsonSerializer.Serialize(summary, ResultJson.Options), null, cancellationToken).ConfigureAwait(false);
        LogEnded(logger, plan.Id, "completed", $"{plan.Total} steps in {clock.Elapsed.TotalSeconds:F1} s");
        return summary;
    }

    // Into loaded as they load, so that the caller can drop those loaded apart if a later one fails.
    private async Task LoadAsync(IReadOnlyList<string> versions, List<DeployedStrategy> loaded, CancellationToken cancellationToken)
    {
        try
        {
            if (versions.Count == 0)
            {
                loaded.Add(await strategies.CurrentAsync(cancellationToken).ConfigureAwait(false));
                return;
            }

            foreach (var version in versions.Distinct(StringComparer.Ordinal))
            {
                loaded.Add(strategies.Current is { } live && live.Version == version ? live : await strategies.LoadApartAsync(version, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (StrategyVersionException ex)
        {
            throw new BacktestException($"version {ex.Version} cannot be replayed: {string.Join("; ", ex.Problems.Select(p => p.ToString()))}", ex);
        }
        catch (StorageException ex)
        {
            throw new BacktestException($"the strategy store cannot be read: {ex.Message}", ex);
        }
    }

    // Reads each step's windows in time order. The data guards need the data time of the previous cycle that
    // consumed data, as the loop reads it from its runs; here it is the previous step's.
    private async Task ProduceAsync(BacktestPlan plan, ChannelWriter<StepWork> writer, SemaphoreSlim outstanding, CancellationToken cancellationToken)
    {
        try
        {
            var lastRun = new DateTimeOffset?[plan.Versions.Count];
            for (var k = 0; k < plan.StepCount; k++)
            {
                var at = plan.From + (plan.Step * k);
                var measured = new Dictionary<(string, DateTimeOffset), double?>();
                for (var v = 0; v < plan.Versions.Count; v++)
                {
                    var version = plan.Versions[v];
                    var previous = lastRun[v];
                    var window = await executor.WindowAsync(data, version.Deployed, at, _ => Task.FromResult(previous), cancellationToken).ConfigureAwait(false);
                    if (window.DataTimestamp is { } consumed && window.Skip is not (RunOutcome.SkippedStale or RunOutcome.SkippedNoNewData))
                    {
                        lastRun[v] = consumed;
                    }

                    var values = window.Skip is null ? await MeasureAsync(version, window.DataTimestamp!.Value, measured, cancellationToken).ConfigureAwait(false) : new Dictionary<string, double>();
                    await outstanding.WaitAsync(cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(new StepWork((k * plan.Versions.Count) + v, at, version, window, values), cancellationToken).ConfigureAwait(false);
                }
            }

            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
            throw;
        }
    }

    // The measured value a prediction made on data at `dataTime` is judged against: the tag's newest row at or before
    // dataTime + horizon, if that row is not stale there. Steps of several versions share the reads.
    private async Task<IReadOnlyDictionary<string, double>> MeasureAsync(BacktestVersion version, DateTimeOffset dataTime, Dictionary<(string, DateTimeOffset), double?> read, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var predicted in version.Predicted.Where(p => p.Horizon is not null))
        {
            var target = dataTime + predicted.Horizon!.Value;
            if (!read.TryGetValue((predicted.Tag, target), out var value))
            {
                try
                {
                    var rows = await data.ReadWindowAsync([predicted.Tag], 1, target, cancellationToken).ConfigureAwait(false);
                    value = rows is [{ Timestamp: { } at } row] && target - at <= TimeSpan.FromSeconds(settings.MaxDataAgeSeconds) ? row.Values[predicted.Tag] : null;
                }
                catch (DataSourceException)
                {
                    // No measurement is no sample; the step itself is unaffected.
                    value = null;
                }

                read[(predicted.Tag, target)] = value;
            }

            if (value is { } v && double.IsFinite(v))
            {
                values[predicted.Predicted] = v;
            }
        }

        return values;
    }

    private async Task SolveAllAsync(ChannelReader<StepWork> reader, ChannelWriter<StepDone> writer, CancellationToken cancellationToken)
    {
        await foreach (var work in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            BacktestStep step;
            if (work.Window.Skip is not null)
            {
                step = BacktestSteps.Skipped(work);
            }
            else
            {
                try
                {
                    var result = await executor.SolveAsync(queue.EnterBacktestAsync(cancellationToken), work.Version.Deployed, null, new CycleInput(work.Window.Rows), settings.MaxSolveSeconds, cancellationToken, replay: true).ConfigureAwait(false);
                    step = BacktestSteps.Of(work, result);
                }
                catch (Exception ex) when (ex is SolverWorkerException or SolverLateException)
                {
                    step = BacktestSteps.Failed(work, ex.Message);
                }
            }

            await writer.WriteAsync(new StepDone(work, step), cancellationToken).ConfigureAwait(false);
        }
    }

    // Proves to every replica that the backtest is still running here, however slowly its steps go; a missed beat
    // (a database hiccup) is logged and the next one tries again. Ends when the run does.
    private async Task BeatAsync(long id, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(backtests.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await store.HeartbeatAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                }
                catch (Storage.Database.DatabaseException ex)
                {
                    LogNoHeartbeat(logger, id, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    // The steps completed before the stop are kept, so a cancelled backtest shows how far it got.
    private async Task KeepDoneAsync(long id, StepSummer summer)
    {
        try
        {
            await summer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Storage.Database.DatabaseException ex)
        {
            LogNotRecorded(logger, id, ex.Message);
        }
    }

    // Recorded whatever stopped the run; if the database is what failed, the log says so.
    private async Task EndAsync(long id, BacktestStatus status, string? summary, string error, CancellationToken cancellationToken)
    {
        try
        {
            await FinishRetryingAsync(id, status, summary, error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Storage.Database.DatabaseException or OperationCanceledException)
        {
            LogNotRecorded(logger, id, ex.Message);
        }
    }

    // The end is asked of the database again every 2 s while it refuses (often the outage that ended the run), until
    // the run is cancelled or the stale sweep's wait has passed (the sweep then stores it as interrupted). Written
    // once, the end was lost in an outage: the run read as running for that whole wait after the database was back,
    // then as interrupted by a stopped process, with its real reason gone.
    private async Task FinishRetryingAsync(long id, BacktestStatus status, string? summary, string? error, CancellationToken cancellationToken)
    {
        var giveUp = time.GetUtcNow() + backtests.StaleAfter;
        while (true)
        {
            try
            {
                await store.FinishAsync(id, status, time.GetUtcNow(), summary, error, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Storage.Database.DatabaseException) when (!cancellationToken.IsCancellationRequested && time.GetUtcNow() < giveUp)
            {
                // Asked again below.
            }

            await Task.Delay(EndRetryInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Backtest {Id} {Status}: {Detail}")]
    private static partial void LogEnded(ILogger logger, long id, string status, string detail);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Backtest {Id}: its end could not be recorded: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, long id, string reason);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Backtest {Id}: its sign of life could not be recorded: {Reason}")]
    private static partial void LogNoHeartbeat(ILogger logger, long id, string reason);
}
