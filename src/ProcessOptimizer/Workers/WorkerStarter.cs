using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>
/// Starts the pool's workers warm. A new worker builds every deployed strategy (models, compiled formulas, their
/// code) and then solves each once (<see cref="WorkerWarmUp"/>) before it counts as started: requests then find it
/// warm, instead of the first one paying for the build against its deadline, and then for a cold solve (JIT tiers,
/// the solver's native pages, the strategy's plans).
/// </summary>
/// <remarks>
/// A strategy that does not build there is left to the request that needs it, which reports why. A worker that
/// passes a limit while it builds or warms up is replaced by one started cold, so that a request meets the limit
/// and says so.
/// </remarks>
/// <param name="crashed">Counts a worker lost by itself or from outside while it built or warmed up, which is replaced here.</param>
internal sealed partial class WorkerStarter(string storageJson, WorkerLimits limits, StrategyCatalog? strategies, WorkerWarmUp warmUp, Action crashed, ILogger logger)
{
    /// <param name="claimed">Whether a request is already waiting for this worker: it then skips the warm-up solves, since that request's own solve warms it.</param>
    /// <exception cref="SolverWorkerException">The worker did not start.</exception>
    /// <exception cref="OperationCanceledException">The pool is stopping; no worker is left running.</exception>
    public async Task<WorkerProcess> StartAsync(Func<bool> claimed, CancellationToken stopping)
    {
        var worker = await WorkerProcess.StartAsync(storageJson, stopping).ConfigureAwait(false);
        try
        {
            var built = new List<DeployedStrategy>();
            foreach (var deployed in strategies?.Live() ?? [])
            {
                if (await WorkerWarmUp.BuildAsync(worker, deployed, limits, stopping).ConfigureAwait(false) is null)
                {
                    built.Add(deployed);
                }
            }

            foreach (var deployed in built.TakeWhile(_ => !claimed()))
            {
                await warmUp.RunAsync(worker, deployed, limits, stopping).ConfigureAwait(false);
            }

            return worker;
        }
        catch (Exception ex) when (ex is SolverWorkerException or OperationCanceledException)
        {
            // Left mid-message, the worker cannot be used.
            var pid = worker.Pid;
            worker.Kill();
            await worker.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            // A worker killed for a limit is not counted here: the request that meets the limit in its cold
            // replacement counts it. One lost otherwise is lost once, as a worker lost while idle is.
            if (ex is SolverWorkerException { Reason: WorkerFailure.Crashed } && !stopping.IsCancellationRequested)
            {
                crashed();
            }

            LogNotWarmed(logger, pid, ex.Message);
            return await WorkerProcess.StartAsync(storageJson, stopping).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Solver worker {Pid} could not build or warm up the deployed strategies before its first request ({Detail}); one started without them takes its place")]
    private static partial void LogNotWarmed(ILogger logger, int pid, string detail);
}
