using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>What the search found.</summary>
/// <param name="Chosen">The candidate to recommend: the cheapest feasible one; null when none is feasible.</param>
/// <param name="Closest">When none is feasible, the candidate that came closest (smallest excess), if any evaluated.</param>
/// <param name="Status">Succeeded, LimitReached (feasible but not proven optimal, or nothing feasible without a proof that nothing is), Infeasible or Failed.</param>
/// <param name="SolverStatus">The solver's own status for the solve behind the answer.</param>
/// <param name="Starts">How many starting points the search for a feasible point tried, 0 when it was not needed.</param>
internal readonly record struct SearchResult(Candidate? Chosen, Candidate? Closest, SolveStatus Status, string SolverStatus, SolveLog Log, int Starts);
