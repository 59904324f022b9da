using ProcessOptimizer.Core.Cycle.Solving;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>How the search ranks two points, in whichever order the pieces (cold or warm) produce them.</summary>
public class CandidateTests
{
    private static Candidate Feasible(double cost, bool converged) =>
        new(new Evaluation([0], cost, 0, 0, null, null), converged ? "Solve_Succeeded" : "Infeasible_Problem_Detected", converged);

    private static Candidate Best(params Candidate[] inOrder) =>
        inOrder.Aggregate((Candidate?)null, (best, c) => c.IsBetterThan(best) ? c : best)!.Value;

    [Theory]
    [InlineData(1e-15)]
    [InlineData(5e-7)]
    public void IsBetterThan_UnconvergedPointLowerOnlyByRounding_ConvergedWinsInEitherOrder(double lower)
    {
        var converged = Feasible(2.5, converged: true);
        var unconverged = Feasible(2.5 - lower, converged: false);

        Assert.Equal(converged, Best(converged, unconverged));
        Assert.Equal(converged, Best(unconverged, converged));
    }

    [Fact]
    public void IsBetterThan_UnconvergedPointClearlyLower_WinsInEitherOrder()
    {
        var converged = Feasible(2.5, converged: true);
        var unconverged = Feasible(2.4, converged: false);

        Assert.Equal(unconverged, Best(converged, unconverged));
        Assert.Equal(unconverged, Best(unconverged, converged));
    }

    [Fact]
    public void IsBetterThan_TwoConvergedPoints_TheLowerCostWins()
    {
        var (higher, lower) = (Feasible(2.5, converged: true), Feasible(2.5 - 1e-9, converged: true));

        Assert.Equal(lower, Best(higher, lower));
        Assert.Equal(lower, Best(lower, higher));
    }

    [Fact]
    public void IsBetterThan_FeasibleAlwaysBeatsInfeasible()
    {
        var infeasible = new Candidate(new Evaluation([0], -100, 1, 1, null, null), "Solve_Succeeded", true);
        var feasible = Feasible(100, converged: false);

        Assert.Equal(feasible, Best(infeasible, feasible));
        Assert.Equal(feasible, Best(feasible, infeasible));
    }
}
