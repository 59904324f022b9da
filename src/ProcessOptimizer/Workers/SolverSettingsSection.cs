namespace ProcessOptimizer.Workers;

/// <summary>The <c>Solver</c> configuration section: how many worker processes solve, and when one is given up.</summary>
public sealed class SolverSettingsSection
{
    public const string Section = "Solver";

    /// <summary>Worker processes; <c>0</c> solves inside the service (debugging). Defaults to the number of cores.</summary>
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>A worker whose resident memory goes past this during a solve is killed and replaced.</summary>
    public int WorkerMemoryMB { get; set; } = 2048;

    /// <summary>
    /// A worker that has not answered this long after a request is killed and replaced. It bounds what comes before
    /// the solve (building the strategy); a worker whose solve has begun is killed at the solve's deadline and
    /// <see cref="WorkerPool.AnswerGrace"/>, which catches native code that never returns to the solver's callbacks.
    /// </summary>
    public double KillAfterSeconds { get; set; } = 120;

    internal WorkerLimits Limits => new(TimeSpan.FromSeconds(KillAfterSeconds), (long)WorkerMemoryMB * 1024 * 1024);

    public IEnumerable<string> Problems()
    {
        if (Workers < 0)
        {
            yield return $"{Section}:Workers must be 0 (solve in-process) or more (got {Workers})";
        }

        if (WorkerMemoryMB < 1)
        {
            yield return $"{Section}:WorkerMemoryMB must be at least 1 (got {WorkerMemoryMB})";
        }

        if (!(KillAfterSeconds > 0))
        {
            yield return $"{Section}:KillAfterSeconds must be positive (got {KillAfterSeconds})";
        }
    }
}
