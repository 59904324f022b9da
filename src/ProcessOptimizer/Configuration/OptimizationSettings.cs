using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Configuration;

/// <summary>The <c>Optimization</c> configuration section. Defaults are the seed's config.yaml values.</summary>
public sealed class OptimizationSettings
{
    public const string Section = "Optimization";

    /// <summary>IPOPT <c>max_iter</c>; the seed's <c>max_iterations</c>.</summary>
    public int MaxIterations { get; set; } = 1000;

    /// <summary>IPOPT <c>tol</c>; the seed's <c>tolerance</c>.</summary>
    public double Tolerance { get; set; } = 1e-6;

    /// <summary>Seconds between continuous cycles; the seed's <c>interval_seconds</c>.</summary>
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>A newest data row older than this is stale and the cycle is skipped.</summary>
    public int MaxDataAgeSeconds { get; set; } = 600;

    /// <summary>Wall-clock time a loop cycle may hold the solver; past it the solve stops and the run is <c>not-converged</c>.</summary>
    public int MaxSolveSeconds { get; set; } = 60;

    /// <summary>Health turns unhealthy when cycles have found only stale data for longer than this (degraded from the first).</summary>
    public int StaleUnhealthySeconds { get; set; } = 1800;

    /// <summary>Use exact Hessians for strategies made only of formulas; otherwise L-BFGS.</summary>
    public bool ExactHessian { get; set; } = true;

    public SolverSettings ToSolverSettings() => new()
    {
        MaxIterations = MaxIterations,
        Tolerance = Tolerance,
        UseExactHessian = ExactHessian,
    };

    /// <summary>Every problem with the values, empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxIterations < 1)
        {
            yield return $"{Section}:MaxIterations must be at least 1 (got {MaxIterations})";
        }

        if (!(Tolerance > 0))
        {
            yield return $"{Section}:Tolerance must be positive (got {Tolerance})";
        }

        if (IntervalSeconds < 1)
        {
            yield return $"{Section}:IntervalSeconds must be at least 1 (got {IntervalSeconds})";
        }

        if (MaxSolveSeconds < 1)
        {
            yield return $"{Section}:MaxSolveSeconds must be at least 1 (got {MaxSolveSeconds})";
        }

        if (StaleUnhealthySeconds < 1)
        {
            yield return $"{Section}:StaleUnhealthySeconds must be at least 1 (got {StaleUnhealthySeconds})";
        }

        if (MaxDataAgeSeconds < 1)
        {
            yield return $"{Section}:MaxDataAgeSeconds must be at least 1 (got {MaxDataAgeSeconds})";
        }
    }
}
