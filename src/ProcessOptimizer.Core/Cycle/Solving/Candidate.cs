namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>A point that may be recommended: its evaluation, the status of the solve that found it, and whether that solve converged.</summary>
internal sealed record Candidate(Evaluation Point, string SolverStatus, bool Converged)
{
    public bool IsFeasible => Point.IsFeasible;

    /// <summary>Better: feasible before infeasible; then the lower cost, or the smaller excess; a converged solve on a tie.</summary>
    public bool IsBetterThan(Candidate? other) => other is null
        || (IsFeasible != other.IsFeasible ? IsFeasible
            : IsFeasible ? Point.Cost < other.Point.Cost || (Point.Cost == other.Point.Cost && Converged && !other.Converged)
            : Point.Excess < other.Point.Excess || (double.IsNaN(other.Point.Excess) && !double.IsNaN(Point.Excess)));
}
