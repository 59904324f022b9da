namespace ProcessOptimizer.Core.Optimization;

/// <summary>How a solve is run. Options are solver option names and values, already validated.</summary>
public sealed record SolverSettings
{
    /// <summary>The seed service's <c>max_iterations</c>.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>The seed service's <c>tolerance</c>.</summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Use the program's exact Hessian when it has one; otherwise L-BFGS.</summary>
    public bool UseExactHessian { get; init; } = true;

    /// <summary>Run the solver's own first-derivative test at the start point and report the largest relative error.</summary>
    public bool CheckDerivatives { get; init; }

    /// <summary>
    /// Multipliers to start from, with the program's start point as the matching primal point (IPOPT's
    /// <c>warm_start_init_point</c>); null for IPOPT's own initialisation.
    /// </summary>
    public Multipliers? WarmStart { get; init; }

    /// <summary>
    /// The same strategy version's previous cycle, when its owner (the strategy's loop) keeps one: a cycle's solves
    /// start from their counterparts there, and after an infeasible cycle the search for a feasible point runs first.
    /// </summary>
    public CycleWarmStart? Previous { get; init; }

    /// <summary>
    /// Fires when the time for solving is up. The solver stops at its next callback and reports
    /// <see cref="SolveStatus.LimitReached"/>; every later solve given the same token stops at once. Unlike the
    /// cancellation token of a solve (shutdown), it does not make the result worthless, only unproven.
    /// </summary>
    public CancellationToken Deadline { get; init; }

    /// <summary>Further solver options (strategy <c>solver_options</c>), applied last.</summary>
    /// <remarks>None by default: one empty dictionary that nobody can change, not a new one per settings.</remarks>
    public IReadOnlyDictionary<string, object> Options { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object>.Empty;
}
