namespace ProcessOptimizer.Core.Cycle;

/// <summary>How a cycle ended. <see cref="Success"/> and <see cref="NotConverged"/> may publish moves; every other status holds the current values.</summary>
public enum CycleStatus
{
    /// <summary>The recommended point came from a converged solve and meets every constraint.</summary>
    Success,

    /// <summary>
    /// No point found within the move windows meets the constraints; every value is held. Proved so when a warning
    /// says interval bounds exclude every point; otherwise the searches were local, and a warning says so.
    /// </summary>
    Infeasible,

    /// <summary>The solver failed (numerical trouble, evaluation errors); every value is held.</summary>
    SolverFailed,

    /// <summary>
    /// A solve stopped at its iteration or time limit. A point that meets every constraint is published without
    /// a proof that it is optimal; when none was found every value is held.
    /// </summary>
    NotConverged,

    Error,
}
