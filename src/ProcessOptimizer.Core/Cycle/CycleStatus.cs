namespace ProcessOptimizer.Core.Cycle;

/// <summary>How a cycle ended. Only <see cref="Success"/> publishes moves; every other status holds the current values.</summary>
public enum CycleStatus
{
    Success,
    Infeasible,
    SolverFailed,
    Error,
}
