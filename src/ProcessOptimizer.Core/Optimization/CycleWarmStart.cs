namespace ProcessOptimizer.Core.Optimization;

/// <summary>
/// What one cycle of a strategy version solved, for the next cycle of the same version to start from: each
/// solve's point and multipliers, and whether the cycle ended infeasible. Immutable: a cycle reads the one it was
/// given and returns a new one, so no two solves ever write the same state.
/// </summary>
/// <remarks>
/// A solve uses its earlier counterpart (same optimizer, same place in the cycle's sequence of solves) only when
/// the problem has the same numbers of variables and constraints; otherwise it starts cold. The owner drops it when
/// the version changes.
/// </remarks>
public sealed record CycleWarmStart(IReadOnlyList<WarmSolve> Solves, bool WasInfeasible);
