using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Api;

/// <summary>The solver workers in <c>/health</c>.</summary>
/// <param name="Queue">Loop cycles, API requests and backtest steps waiting for a solver.</param>
/// <param name="Restarts">Workers killed and replaced, by reason ("solver worker crashed", ...).</param>
/// <param name="BusySeconds">Time spent solving requests since the start, summed over workers.</param>
/// <param name="WarmUps">Solves that new workers ran, and threw away, before their first request (one per deployed strategy each).</param>
/// <param name="WarmUpSeconds">Time those warm-up solves took, summed over workers; not part of <paramref name="BusySeconds"/>.</param>
public sealed record WorkerHealth(int Configured, int Alive, int Busy, int Queue, double BusySeconds, IReadOnlyDictionary<string, long> Restarts, long WarmUps, double WarmUpSeconds)
{
    public static WorkerHealth Of(WorkerPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var workers = pool.Workers;
        return new WorkerHealth(
            pool.Size,
            workers.Count(w => w.Pid is not null),
            workers.Count(w => w.Busy),
            pool.Waiting,
            pool.BusyTime.TotalSeconds,
            Enum.GetValues<WorkerFailure>().ToDictionary(SolverWorkerException.Describe, pool.Restarts),
            pool.WarmUps,
            pool.WarmUpTime.TotalSeconds);
    }
}
