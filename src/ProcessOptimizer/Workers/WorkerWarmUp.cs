using System.Collections.Concurrent;
using System.Diagnostics;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>
/// The one solve a worker runs after it has built a deployed strategy, before it counts as ready: its first real
/// request then finds the solver's code compiled and its native pages and the strategy's plans in memory, where it
/// took about five times a warm solve. The answer is thrown away: never stored, published or counted as a request.
/// Its window is the last the pool sent for that strategy and a worker answered, or, before there is one, the
/// strategy's <see cref="MidpointWindow"/> with the service's optimization settings.
/// </summary>
/// <remarks>
/// A kept window is a copy made while its caller still held it: a window rented from a data source's pool is reused
/// once its cycle ends. It is published by one reference swap per strategy and never changed, so a warm-up reads it
/// while requests go on. A window that killed its worker is never kept: it is kept only once a worker answered it.
/// </remarks>
internal sealed partial class WorkerWarmUp(OptimizationSettings? settings, ILogger logger)
{
    // A copy costs the caller microseconds on every request; one every few seconds keeps the window recent enough.
    private static readonly TimeSpan CopyEvery = TimeSpan.FromSeconds(5);

    private readonly OptimizationSettings _settings = settings ?? new OptimizationSettings();
    private readonly ConcurrentDictionary<string, Kept> _byPointer = new(StringComparer.Ordinal);

    private long _count;
    private long _ticks;

    private sealed record Kept(SolveRequest Request, long CopiedAt);

    /// <summary>Warm-up solves that workers ran to an answer (any status), since the start.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Time the warm-up solves took, summed over workers.</summary>
    public TimeSpan Time => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>A copy of <paramref name="request"/> to keep once a worker answers it, or null when it is not for a deployed version or the kept one is recent.</summary>
    public SolveRequest? Copy(SolveRequest request)
    {
        if (request is not { InlineText: null, Replay: false, Rows.Count: > 0 }
            || (_byPointer.TryGetValue(request.PointerKey, out var kept) && kept.Request.Version == request.Version && Stopwatch.GetElapsedTime(kept.CopiedAt) < CopyEvery))
        {
            return null;
        }

        return request with { Rows = ProcessWindow.Snapshot(request.Rows), Warm = null };
    }

    /// <summary>A worker answered the request <paramref name="copy"/> was made of: it becomes its strategy's warm-up window.</summary>
    public void Answered(SolveRequest copy) => _byPointer[copy.PointerKey] = new Kept(copy, Stopwatch.GetTimestamp());

    /// <summary>
    /// Solves <paramref name="deployed"/>, which <paramref name="worker"/> has just built, once, and throws the
    /// answer away. Bounded as a request's solve is: the worker is killed once the solve's deadline and
    /// <see cref="WorkerPool.AnswerGrace"/> have passed.
    /// </summary>
    /// <remarks>An answer of any status, or a load error, is only logged: a point the strategy's models reject still warms the code.</remarks>
    /// <exception cref="SolverWorkerException">The worker died or went past a limit; it must be replaced.</exception>
    /// <exception cref="OperationCanceledException">The pool is stopping; the worker is left mid-message.</exception>
    public async Task RunAsync(WorkerProcess worker, DeployedStrategy deployed, WorkerLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        SolveRequest request;
        bool sent;
        try
        {
            (request, sent) = For(deployed);
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException or InvalidOperationException)
        {
            // A strategy this code did not foresee must not fail the worker's start: it serves, cold.
            LogNotSolved(logger, worker.Pid, deployed.Version, $"no window could be made for it: {ex.Message}");
            return;
        }

        var begun = Stopwatch.GetTimestamp();
        var reply = await worker.SolveAsync(request, deployed.Artifacts, limits, new TaskCompletionSource<long>(), cancellationToken).ConfigureAwait(false);
        var took = Stopwatch.GetElapsedTime(begun);
        Interlocked.Add(ref _ticks, took.Ticks);
        if (reply.Result is { } result)
        {
            Interlocked.Increment(ref _count);
            LogWarmed(logger, worker.Pid, deployed.Version, sent ? "the last window sent" : "the middle of every limit", result.Status, took.TotalMilliseconds);
        }
        else
        {
            LogNotSolved(logger, worker.Pid, deployed.Version, reply.LoadError);
        }
    }

    /// <summary>
    /// Has <paramref name="worker"/> build <paramref name="deployed"/> and keep it, solving nothing: the part of a
    /// warm-up that every request for that version needs anyway.
    /// </summary>
    /// <returns>Null when it built; else why not, which is left to the requests for it to report.</returns>
    /// <exception cref="SolverWorkerException">The worker died or went past a limit; it must be replaced.</exception>
    /// <exception cref="OperationCanceledException">The pool is stopping; the worker is left mid-message.</exception>
    public static async Task<string?> BuildAsync(WorkerProcess worker, DeployedStrategy deployed, WorkerLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(deployed);
        return (await worker.SolveAsync(BuildRequest(deployed), deployed.Artifacts, limits, null, cancellationToken).ConfigureAwait(false)).LoadError;
    }

    /// <summary>The request that has a worker build <paramref name="deployed"/> and solve nothing.</summary>
    private static SolveRequest BuildRequest(DeployedStrategy deployed) =>
        new(WorkerProtocol.Version, deployed.Version, null, [], 0, 0, false, 0, deployed.ArtifactVersions, false, deployed.PointerKey);

    /// <summary>
    /// Warms <paramref name="worker"/>, which holds no request, up on a version that has just gone live: it builds
    /// the version, then solves it once unless <paramref name="waiting"/> counts a request or a loop cycle waiting
    /// for a worker by then.
    /// </summary>
    /// <remarks>
    /// The build cannot be cut short (the worker reads nothing while it builds), but a request for the new version
    /// would have run it itself, from later: it waits for it no longer than for its own. The solve is what a request
    /// would not have waited for, so it gives way; one that comes while it runs waits for at most
    /// <see cref="MaxSeconds"/> and its answer. A version that does not build here is logged and not solved.
    /// </remarks>
    /// <exception cref="SolverWorkerException">The worker died or went past a limit; it must be replaced.</exception>
    /// <exception cref="OperationCanceledException">The pool is stopping; the worker is left mid-message.</exception>
    public async Task RunOnSwitchAsync(WorkerProcess worker, DeployedStrategy deployed, WorkerLimits limits, Func<int> waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(waiting);
        if (await BuildAsync(worker, deployed, limits, cancellationToken).ConfigureAwait(false) is { } error)
        {
            worker.CouldNotBuild(deployed);
            LogNotSolved(logger, worker.Pid, deployed.Version, error);
            return;
        }

        if (waiting() is > 0 and var waiters)
        {
            LogGaveWay(logger, worker.Pid, deployed.Version, waiters);
            return;
        }

        await RunAsync(worker, deployed, limits, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The longest a warm-up solves, in seconds. A second warms the code and the pages as well as a solve run to its
    /// end, and a warm-up holds its worker: a request that found the worker warming up a version that had just gone
    /// live waited for all of it, out of the same bound as its wait for a free worker.
    /// </summary>
    public const int MaxSeconds = 1;

    /// <summary>The warm-up request for <paramref name="deployed"/>, and whether its window is one the pool sent.</summary>
    internal (SolveRequest Request, bool Sent) For(DeployedStrategy deployed)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        // A window kept for another version may lack the tags this one reads (another strategy under the same
        // pointer): its solve would end at once in an input error and warm nothing, so the midpoint is solved instead.
        if (_byPointer.TryGetValue(deployed.PointerKey, out var kept) && kept.Request.Rows is ProcessWindow window && deployed.Compiled.RequiredTags.All(window.Tags.Contains))
        {
            return (kept.Request with { Version = deployed.Version, Artifacts = deployed.ArtifactVersions, MaxSolveSeconds = Math.Min(kept.Request.MaxSolveSeconds, MaxSeconds) }, true);
        }

        var request = new SolveRequest(WorkerProtocol.Version, deployed.Version, null, MidpointWindow.Of(deployed.Compiled), _settings.MaxIterations, _settings.Tolerance, _settings.ExactHessian, Math.Min(_settings.MaxSolveSeconds, MaxSeconds), deployed.ArtifactVersions, false, deployed.PointerKey);
        return (request, false);
    }

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Solver worker {Pid} warmed up: one solve of version {Version} on {Window}, thrown away ({Status}, {Milliseconds:F0} ms)")]
    private static partial void LogWarmed(ILogger logger, int pid, string version, string window, CycleStatus status, double milliseconds);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "Solver worker {Pid} built version {Version}, which went live, and left its warm-up solve out for the {Waiting} requests or cycles waiting for a worker")]
    private static partial void LogGaveWay(ILogger logger, int pid, string version, int waiting);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "Solver worker {Pid} could not solve version {Version} to warm up ({Detail}); it serves anyway")]
    private static partial void LogNotSolved(ILogger logger, int pid, string version, string? detail);
}
