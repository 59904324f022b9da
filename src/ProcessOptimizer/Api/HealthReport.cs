namespace ProcessOptimizer.Api;

/// <summary>The health document: the original service's <c>status</c> and <c>timestamp</c>, then each component.</summary>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</param>
/// <param name="Timestamp">When this answer was made.</param>
/// <param name="CycleOutcomes">The default strategy's cycles by outcome since the service started, such as <c>{"success": 12, "not-converged": 1}</c>.</param>
/// <param name="Data">The feed's freshness and the runs waiting for the database.</param>
/// <param name="Workers">The solver worker processes; null when solves run in the service (<c>Solver:Workers</c> 0).</param>
public sealed record HealthReport(string Status, DateTimeOffset Timestamp, HealthComponent Store, HealthComponent Database, StrategyHealth Strategy, DataHealth Data, CycleReport? LastCycle, IReadOnlyDictionary<string, long> CycleOutcomes, WorkerHealth? Workers)
{
    /// <summary>The solver: unhealthy while a solve runs past its deadline, degraded after recent solver, evaluation or option errors.</summary>
    public HealthComponent? Solver { get; init; }

    /// <summary>
    /// Every enabled strategy by name, with its own version, cycles and status. The top-level <c>strategy</c>,
    /// <c>last_cycle</c> and <c>cycle_outcomes</c> are the default strategy's, as before there were several.
    /// </summary>
    public IReadOnlyDictionary<string, StrategyState>? Strategies { get; init; }

    /// <summary>
    /// The outbox's folder, where runs wait for the database: <c>degraded</c> while it cannot be written (the error
    /// says why), <c>unhealthy</c> while runs are held in memory for want of it.
    /// </summary>
    public HealthComponent? Outbox { get; init; }

    /// <summary>What schedules the cycles here: the cluster, this process alone, or nothing (API mode).</summary>
    public SchedulerHealth? Scheduler { get; init; }
}
