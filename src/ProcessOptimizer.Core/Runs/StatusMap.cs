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
        return statuses.Aggregate(CycleStatus.Success, (worst, status) => Worse(worst, Cycle(status)));
    }

    /// <summary>The cycle's status when this is its one optimization's.</summary>
    public static CycleStatus Cycle(SolveStatus status) => status switch
    {
        SolveStatus.Infeasible => CycleStatus.Infeasible,
        SolveStatus.Failed => CycleStatus.SolverFailed,
        SolveStatus.LimitReached => CycleStatus.NotConverged,
        _ => CycleStatus.Success,
    };

    /// <summary>The worse of two cycle statuses: infeasible, then solver failed, then not converged, then success.</summary>
    public static CycleStatus Worse(CycleStatus a, CycleStatus b) => Rank(b) > Rank(a) ? b : a;

    private static int Rank(CycleStatus status) => status switch
    {
        CycleStatus.Infeasible => 3,
        CycleStatus.SolverFailed => 2,
        CycleStatus.NotConverged => 1,
        _ => 0,
    };

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
