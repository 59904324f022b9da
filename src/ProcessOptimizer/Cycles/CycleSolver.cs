using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// Runs a cycle for the loop and the API alike: in a solver worker process when there is a pool
/// (<c>Solver:Workers</c> above 0), else in this process, on the caller's thread. Either way <see cref="RunHere"/> does the solving.
/// </summary>
public sealed class CycleSolver(INonlinearSolver solver, OptimizationSettings settings, TimeProvider time, WorkerPool? pool, IpoptLibrary library)
{
    /// <param name="slot">The cycle's place in the <see cref="SolveQueue"/>, which this call releases: in-process when the solve ends, through a worker when the worker is free again; null when the caller holds none.</param>
    /// <param name="inlineText">An inline strategy's text, which a worker compiles for itself; null for the deployed strategy.</param>
    /// <param name="replay">A backtest's cycle: a worker builds its version beside the one it serves instead of switching.</param>
    /// <param name="warm">The previous cycle of this version to start from, or null; it travels with the request, so any worker can use it.</param>
    /// <exception cref="SolverWorkerException">The worker was lost with this cycle; it has been replaced.</exception>
    /// <exception cref="SolverUnavailableException">The solver's library is not installed here; nothing was solved.</exception>
    public async Task<CycleResult> RunAsync(IDisposable? slot, DeployedStrategy deployed, string? inlineText, CycleInput input, int maxSeconds, CancellationToken cancellationToken, bool replay = false, CycleWarmStart? warm = null)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(deployed);
            ArgumentNullException.ThrowIfNull(input);
            // Workers run this same executable on this same machine: without the library here, a worker has none either.
            library.ThrowIfUnavailable();
        }
        catch
        {
            slot?.Dispose();
            throw;
        }

        if (pool is null)
        {
            using (slot)
            {
                // On the caller's thread: the solve holds a thread either way, and handing it to another one cost a wake-up
                // and left the caller's thread spinning in the pool before it slept, on every request.
                cancellationToken.ThrowIfCancellationRequested();
                return RunHere(solver, deployed.Compiled, input, settings.ToSolverSettings() with { Previous = warm }, maxSeconds, time, cancellationToken);
            }
        }

        // The worker builds the strategy from what this process loaded, never from the store.
        var request = new SolveRequest(WorkerProtocol.Version, deployed.Version, inlineText, input.Rows, settings.MaxIterations, settings.Tolerance, settings.ExactHessian, maxSeconds, deployed.ArtifactVersions, replay, deployed.PointerKey, warm);
        var reply = await pool.SolveAsync(request, deployed.Artifacts, slot, cancellationToken).ConfigureAwait(false);
        return reply.Result ?? new CycleResult
        {
            Status = CycleStatus.Error,
            DataTimestamp = input.Rows.Count > 0 ? input.Rows[^1].Timestamp : null,
            Error = $"the solver worker could not load strategy {deployed.Version}: {reply.LoadError}",
            ErrorType = CycleFailure.Configuration,
        };
    }

    /// <summary>
    /// Runs the cycle on this thread with a deadline of <paramref name="maxSeconds"/> from now: in a worker as here,
    /// the strategy is built before the deadline starts.
    /// </summary>
    internal static CycleResult RunHere(INonlinearSolver solver, CompiledStrategy compiled, CycleInput input, SolverSettings settings, int maxSeconds, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds), time);
        var result = new CycleRunner(solver).Run(compiled, input, settings with { Deadline = deadline.Token }, cancellationToken);
        return deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
            ? result with { Warnings = [.. result.Warnings, $"the solve was stopped at its deadline of {maxSeconds} s; the result is not proven optimal"] }
            : result;
    }
}
