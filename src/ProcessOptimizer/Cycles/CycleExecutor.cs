using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// One continuous cycle of one strategy, start to finish: deployed strategy, data window, guards, solve, stored
/// run, log line. It holds no schedule, so the single-node loop and the cluster's Quartz job both call it.
/// </summary>
public sealed partial class CycleExecutor(
    IRunStore runs,
    RunRecorder recorder,
    CycleSolver solver,
    SolveQueue queue,
    SolverHealth solverHealth,
    ProcessDatabase database,
    OptimizationSettings settings,
    ServiceMetrics metrics,
    TimeProvider time,
    ILogger<CycleExecutor> logger)
{
    // As long as the background monitor takes to probe again, which would close the circuit anyway: a probe of a
    // database that answers again takes milliseconds, and one in flight across the outage is answered at its end.
    private static readonly TimeSpan WaitForRecovery = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs one cycle, as <see cref="RunOnceAsync"/>, and is the scheduler's boundary: whatever goes wrong is logged,
    /// counted and shown by <c>/health</c>, and the next cycle runs.
    /// </summary>
    public async Task RunGuardedAsync(StrategyRuntime strategy, DateTimeOffset? slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        try
        {
            await RunOnceAsync(strategy, slot, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        catch (Exception ex)
        {
            strategy.Health.Record(time.GetUtcNow(), null, ex.Message);
            metrics.CycleThrew(strategy.Name);
            LogFailed(logger, strategy.Name, ex);
        }
    }

    /// <summary>Runs one cycle of <paramref name="strategy"/> and stores its record.</summary>
    /// <param name="slot">
    /// The scheduled time of this cycle. The run is keyed by (strategy, slot) and, when it consumed data, by
    /// (strategy, data timestamp): a second firing of the same cycle, or a second consumption of the same row,
    /// stores and reports nothing.
    /// </param>
    /// <returns>The recorded run (with id 0 while it waits in the outbox), or null when shutdown abandoned the cycle before anything was recorded.</returns>
    public async Task<RunRecord?> RunOnceAsync(StrategyRuntime strategy, DateTimeOffset? slot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var started = time.GetUtcNow();
        strategy.Health.Began(started);

        // A cycle that starts as the database comes back waits for the probe that closes its circuit instead of
        // failing on it; while the database stays down it fails after that wait, as before.
        await database.Guard.ClosesWithinAsync(WaitForRecovery, cancellationToken).ConfigureAwait(false);
        DeployedStrategy deployed;
        try
        {
            // A version switched on another replica is seen by this cycle, not after the repository's recheck interval.
            strategy.Repository.Recheck();
            deployed = await strategy.Repository.CurrentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StrategyVersionException or StorageException or SolverUnavailableException)
        {
            return await StoreAsync(strategy, slot, Record(strategy.Name, "?", started, RunOutcome.Error).Saying([ex.Message]), cancellationToken).ConfigureAwait(false);
        }

        using var lease = deployed.Lease();
        using var scope = logger.BeginScope("cycle {CycleId} strategy {Strategy} version {StrategyVersion}", Guid.NewGuid().ToString("n")[..12], strategy.Name, deployed.Version);
        var record = await RunAsync(strategy, deployed, started, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(strategy, slot, record with { ModelVersions = deployed.ModelVersions }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RunRecord> RunAsync(StrategyRuntime strategy, DeployedStrategy deployed, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var window = await WindowAsync(strategy.Data, deployed, started, ct => LastConsumedAsync(strategy.Name, ct), cancellationToken).ConfigureAwait(false);
        var ahead = await AheadAsync(strategy, started, cancellationToken).ConfigureAwait(false);
        if (window.Skip is { } outcome)
        {
            window.Release();
            var skipped = Record(strategy.Name, deployed.Version, started, outcome) with { DataTimestamp = window.DataTimestamp };
            return ahead is null ? skipped with { Message = window.Message } : skipped.Saying([.. new[] { window.Message }.OfType<string>(), ahead]);
        }

        CycleResult result;
        try
        {
            var warm = strategy.WarmStart.For(deployed.Version);
            // Loop cycles go first, so a cycle waits only for the solves in flight, each of which ends by its deadline
            // and the grace: one that waits longer than the longest of them waits for a stuck worker, and fails.
            var wait = WorkerPool.AnswerBy(settings.MaxSolveSeconds);
            result = await SolveAsync(queue.EnterLoopAsync(wait, cancellationToken), deployed, null, new CycleInput(window.Rows), settings.MaxSolveSeconds, cancellationToken, warm: warm).ConfigureAwait(false);
            strategy.WarmStart.Keep(deployed.Version, result.Next);
            // Only once the cycle is over: a solve given up on may still be reading it, so then it is left to the collector.
            window.Release();
        }
        catch (Exception ex) when (ex is SolverWorkerException or SolverLateException or SolverUnavailableException)
        {
            return Record(strategy.Name, deployed.Version, started, RunOutcome.Error) with { DataTimestamp = window.DataTimestamp, Message = ex.Message };
        }

        return RunRecords.Of(ahead is null ? result : result with { Warnings = [.. result.Warnings, ahead] }, strategy.Name, deployed, window.DataTimestamp, started);
    }

    /// <summary>
    /// The data window a cycle at <paramref name="at"/> reads, and the data guards' verdict on it: for the loop
    /// (now) and for a backtest (each past step) alike.
    /// </summary>
    /// <param name="data">The strategy's data table.</param>
    /// <param name="lastRun">The newest data time a previous cycle consumed; asked only once the window is read.</param>
    public async Task<CycleWindow> WindowAsync(IProcessDataSource data, DeployedStrategy deployed, DateTimeOffset at, Func<CancellationToken, Task<DateTimeOffset?>> lastRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(deployed);
        ArgumentNullException.ThrowIfNull(lastRun);
        var tags = deployed.Compiled.RequiredTags.ToList();
        IReadOnlyList<ProcessRow> rows;
        try
        {
            rows = await data.ReadWindowAsync(tags, WindowRows(deployed.Definition), at, cancellationToken).ConfigureAwait(false);
        }
        catch (DataSourceException ex)
        {
            return new CycleWindow([], RunOutcome.Error, ex.Message);
        }

        DateTimeOffset? last;
        try
        {
            last = await lastRun(cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseException ex)
        {
            // The slot still gets its record: an error, which consumed nothing, so the data is solved next time.
            return new CycleWindow(rows, RunOutcome.Error, ex.Message);
        }

        return DataGuard.Check(rows, tags, at, TimeSpan.FromSeconds(settings.MaxDataAgeSeconds), last) is { } skip
            ? new CycleWindow(rows, skip.Outcome, skip.Message)
            : new CycleWindow(rows, null, null);
    }

    /// <summary>Solves once <paramref name="slot"/> is granted, with a deadline that starts when the solver (in a worker: the worker) has the cycle.</summary>
    /// <param name="inlineText">An inline strategy's text, for a worker to compile; null for the deployed strategy.</param>
    /// <remarks>
    /// Past <paramref name="maxSeconds"/> the solver stops at its next callback and the result is not converged;
    /// <paramref name="cancellationToken"/> (shutdown) stops it the same way, and the caller discards the result.
    /// </remarks>
    /// <exception cref="SolverWorkerException">The worker was lost with this solve; it has been replaced.</exception>
    /// <param name="replay">A backtest's cycle, whose version a worker keeps beside the one it serves.</param>
    /// <param name="warm">The strategy loop's previous cycle of this version, to start from; null starts cold.</param>
    public async Task<CycleResult> SolveAsync(Task<IDisposable> slot, DeployedStrategy deployed, string? inlineText, CycleInput input, int maxSeconds, CancellationToken cancellationToken, bool replay = false, CycleWarmStart? warm = null)
    {
        ArgumentNullException.ThrowIfNull(slot);
        // The solver releases the place: a worker's may outlive this call, when it is still busy after the call gives up.
        var place = await slot.ConfigureAwait(false);
        CycleResult? result = null;
        var solve = solverHealth.Started(maxSeconds);
        try
        {
            result = await solver.RunAsync(place, deployed, inlineText, input, maxSeconds, cancellationToken, replay, warm).ConfigureAwait(false);
            result = WithWindowWarnings(result, input.Window);
        }
        catch (Exception ex) when (((ex as SolverLateException)?.Work ?? (ex as SolveAbandonedException)?.Work) is { } work)
        {
            // The caller stops waiting, the worker does not: health follows the solve until the worker answers,
            // so that one stuck past its deadline is still reported.
            var running = solve;
            _ = work.ContinueWith(t => solverHealth.Finished(running, t.IsCompletedSuccessfully ? t.Result.Result : null), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            solve = 0;
            throw;
        }
        finally
        {
            if (solve != 0)
            {
                solverHealth.Finished(solve, result);
            }
        }

        return result;
    }

    // Rows stamped ahead of the clock, which no cycle reads: said with the cycle's outcome, since a live feed from a
    // writer whose clock or zone is wrong otherwise reads as stale (or as older than it is) with no hint why. Only the
    // loop asks: a backtest's steps are in the past, where later rows are the rest of the history.
    private async Task<string?> AheadAsync(StrategyRuntime strategy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await strategy.Data.AfterAsync(now + DataGuard.AheadTolerance, cancellationToken).ConfigureAwait(false) is { } rows ? DataGuard.Ahead(rows, now) : null;
        }
        catch (DataSourceException ex)
        {
            // The window was read: the cycle goes on without this note, which the next cycle asks for again.
            LogAheadUnknown(logger, strategy.Name, ex.Message);
            return null;
        }
    }

    // What the data guards let through but the operator must hear of: a gap in the window, or a feed repeating itself.
    private CycleResult WithWindowWarnings(CycleResult result, ProcessWindow window)
    {
        var maxAge = TimeSpan.FromSeconds(settings.MaxDataAgeSeconds);
        var gap = DataGuard.Gap(window, maxAge);
        var frozen = DataGuard.Frozen(window, maxAge);
        return gap is null && frozen is null ? result : result with { Warnings = [.. result.Warnings, .. new[] { gap, frozen }.OfType<string>()] };
    }

    private async Task<RunRecord?> StoreAsync(StrategyRuntime strategy, DateTimeOffset? slot, RunRecord record, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // Shutdown: a cut-short solve is not a result. Nothing is stored, so nothing is half-written.
            LogAbandoned(logger, strategy.Name, record.StrategyVersion);
            return null;
        }

        record = RunKeys.Loop(record with { FinishedAt = time.GetUtcNow() }, slot);
        // Nobody could make this run again: if neither the database nor the outbox's folder takes it, it is held in memory.
        var receipt = await recorder.RecordAsync(record, hold: true, cancellationToken).ConfigureAwait(false);
        record = record with { Id = receipt.Id ?? 0 };
        if (receipt.Duplicate)
        {
            // Another firing of this cycle (a retried job, or a replica taken for dead) stored it first: it is
            // neither counted nor reported again.
            LogDuplicate(logger, strategy.Name, record.DataKey ?? record.Key!, record.Id);
            return record;
        }

        strategy.Health.Record(record.FinishedAt, record.Outcome, record.Outcome is RunOutcome.Error or RunOutcome.SkippedBadData ? record.Message : null);
        metrics.Cycle(record);
        var moves = record.Recommendations.Count(r => Math.Abs(r.Delta) > 1e-9);
        LogCycle(logger, strategy.Name, record.StrategyVersion, record.DataTimestamp, record.Outcome.Name(), record.Cost, moves, record.DurationMs, record.Message ?? "");
        return record;
    }

    // The newest data a run of this strategy consumed: the database's, or a newer one whose run still waits in the
    // outbox (the database could not take it). Either way that minute is solved, and solving it again would make
    // a second run for the same data, which the replay could only fold into the first.
    private async Task<DateTimeOffset?> LastConsumedAsync(string strategyName, CancellationToken cancellationToken)
    {
        var waiting = recorder.NewestWaitingData(strategyName);
        var stored = await runs.LastRunTimestampAsync(strategyName, cancellationToken).ConfigureAwait(false);
        return waiting > stored || stored is null ? waiting : stored;
    }

    private static RunRecord Record(string name, string version, DateTimeOffset started, RunOutcome outcome) => new()
    {
        StrategyName = name,
        StrategyVersion = version,
        StartedAt = started,
        FinishedAt = started,
        Outcome = outcome,
    };

    // The newest row plus every row that the largest lag + offset window reaches back to.
    internal static int WindowRows(Strategy strategy) =>
        1 + strategy.SkillsOf<InferenceModelSkill>().SelectMany(s => s.FeatureEngineering.LagOffsets.Values).Select(l => l.Lag + l.Offset).DefaultIfEmpty(0).Max();

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Cycle: strategy {Strategy}, version {Version}, data {DataTime:O}, outcome {Outcome}, cost {Cost}, {Moves} moves, {Duration:F1} ms {Message}")]
    private static partial void LogCycle(ILogger logger, string strategy, string version, DateTimeOffset? dataTime, string outcome, double? cost, int moves, double duration, string message);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Cycle of strategy {Strategy} version {Version} abandoned at shutdown; nothing stored")]
    private static partial void LogAbandoned(ILogger logger, string strategy, string version);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Duplicate cycle of strategy {Strategy}: run {Key} is stored already as run {Id}; nothing stored or reported again")]
    private static partial void LogDuplicate(ILogger logger, string strategy, string key, long id);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Cycle of strategy {Strategy}: could not count the rows stamped ahead of now ({Detail})")]
    private static partial void LogAheadUnknown(ILogger logger, string strategy, string detail);

    [LoggerMessage(EventId = 210, Level = LogLevel.Error, Message = "Cycle of strategy {Strategy} failed")]
    private static partial void LogFailed(ILogger logger, string strategy, Exception exception);
}
