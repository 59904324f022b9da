using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Runs;

/// <summary>
/// How a solve's status becomes a cycle's status, and a cycle's status the stored outcome. The solver's own
/// codes are mapped to <see cref="SolveStatus"/> by the solver (IPOPT's in <c>IpoptSolver</c>).
/// </summary>
public static class StatusMap
{
    /// <summary>The cycle's status from its optimizations' statuses: the worst one decides.</summary>
    public static CycleStatus Cycle(IEnumerable<SolveStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var all = statuses.ToList();
        return all.Contains(SolveStatus.Infeasible) ? CycleStatus.Infeasible
            : all.Contains(SolveStatus.Failed) ? CycleStatus.SolverFailed
            : all.Contains(SolveStatus.LimitReached) ? CycleStatus.NotConverged
            : CycleStatus.Success;
    }

    /// <summary>The stored outcome of a cycle; an error from bad data counts as skipped data.</summary>
    public static RunOutcome Outcome(CycleStatus status, CycleFailure? failure) => status switch
    {
        CycleStatus.Success => RunOutcome.Success,
        CycleStatus.Infeasible => RunOutcome.Infeasible,
        CycleStatus.SolverFailed => RunOutcome.SolverFailed,
        CycleStatus.NotConverged => RunOutcome.NotConverged,
        _ when failure == CycleFailure.BadData => RunOutcome.SkippedBadData,
        _ => RunOutcome.Error,
    };
}
