namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>A point that may be recommended: its evaluation, the status of the solve that found it, and whether that solve converged.</summary>
/// <remarks>A value: a search makes one per solve and keeps at most the best, until its optimization's outcome is made.</remarks>
internal readonly record struct Candidate(Evaluation Point, string SolverStatus, bool Converged)
{
    // Relative, as the solver's default tolerance (the seed's 1e-6) is: costs closer than this are the same optimum.
    private const double CostTie = 1e-6;

    public bool IsFeasible => Point.IsFeasible;

    /// <summary>For a solve that did not converge: which variables were moved from where it stopped onto a bound, if any.</summary>
    public string? Moved { get; init; }

    /// <summary>
    /// Better: feasible before infeasible; then the lower cost, or the smaller excess. Between a converged solve's point
    /// and another's, costs within the solver's tolerance are a tie that the converged one wins.
    /// </summary>
    /// <remarks>
    /// Two solves that end at the same optimum differ in cost by rounding and by the solver's tolerance. A strict
    /// comparison then let a piece that stopped unconverged (restoration failed, infeasibility detected at a point that
    /// still meets the rule) win by 1e-15, so a cold and a warm cycle, which meet their pieces in another order,
    /// published different statuses for the same point.
    /// </remarks>
    public bool IsBetterThan(Candidate? other)
    {
        if (other is not { } o)
        {
            return true;
        }

        if (IsFeasible != o.IsFeasible)
        {
            return IsFeasible;
        }

        if (!IsFeasible)
        {
            return Point.Excess < o.Point.Excess || (double.IsNaN(o.Point.Excess) && !double.IsNaN(Point.Excess));
        }

        var margin = CostTie * Math.Max(1, Math.Max(Math.Abs(Point.Cost), Math.Abs(o.Point.Cost)));
        return Converged == o.Converged ? Point.Cost < o.Point.Cost
            : Converged ? Point.Cost <= o.Point.Cost + margin
            : Point.Cost < o.Point.Cost - margin;
    }
}
