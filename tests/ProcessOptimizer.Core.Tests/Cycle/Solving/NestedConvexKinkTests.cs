using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// Convex costs whose kinks are nested (a max of abs terms, abs terms summed inside a max): each is the max of a few
/// smooth alternatives, so one epigraph solves it exactly. Optima solved by hand.
/// </summary>
public class NestedConvexKinkTests
{
    private static Term T(string text) => new(text, _ => double.NaN);

    private static Published Solve(SmallProblem problem)
    {
        var published = Published.From(problem, problem.Run());
        Assert.Equal(Published.Fresh(problem, published.X).Cost, published.Cost);
        return published;
    }

    [Fact]
    public void Run_MaxOfAbsTerms_LandsMidwayBetweenTheOuterOnes()
    {
        // max(|x1 − 1|, |x1 − 2|, |x1 − 1.5|) is max(|x1 − 1|, |x1 − 2|), least where they meet: x1 = 1.5, cost 0.5.
        var answer = Solve(new SmallProblem([0], [3], [T("max(abs(x1-1), abs(x1-2), abs(x1-1.5))")], []));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(1.5, answer.X[0], 6);
        Assert.Equal(0.5, answer.Cost, 6);
    }

    [Fact]
    public void Run_SumOfAbsInsideAMax_LandsOnTheKinkWhoseSubgradientHoldsZero()
    {
        // At x1 = 1.46 the other four terms have slopes 0.274, −1.62, 0.176 and 1.61, summing to 0.44, and |x1 − 1.46|
        // adds [−1, 1]: 0 is a subgradient. Cost 2.46004 + 1.9548 + 0 + 1.67696 + 6.2306 − 1.78 = 10.5424.
        var cost = "max(0, abs(-0.274*x1 - 2.06) + abs(1.62*x1 - 4.32) + abs(x1 - 1.46) + abs(-0.176*x1 - 1.42) + abs(1.61*x1 + 3.88) - 1.78)";
        var answer = Solve(new SmallProblem([0.262], [3], [T(cost)], []));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(1.46, answer.X[0], 6);
        Assert.Equal(10.5424, answer.Cost, 6);
    }

    [Fact]
    public void Run_MaxOfAbsWithAKinkedConstraint_BalancesTheTwoAtTheWindowEdge()
    {
        // The two abs terms cannot both vanish inside x2 ∈ [−5.081, −3.081]; raising x2 shrinks the second, so
        // x2 = −3.081 and the terms meet where 3.05 − 2.25·x1 = 2.1·x1 + 2.716987: x1 = 0.333013/4.35, cost 2.8777519.
        // The sum of abs constraint is then 41.2, well inside its limit of 62.804 (it is violated at the start).
        var constraint = "abs(0.269*x1 + 2.47*x2 + 0.233) + abs(1.4*x1 - 2.6*x2 + 0.918) + abs(-2.42*x2 - 3.94)"
            + " + abs(0.925*x2 - 4.12) + abs(2.47*x1 - 1.16*x2 + 1.11) + abs(0.363*x1 - 2.75*x2 + 0.952)";
        var answer = Solve(new SmallProblem(
            [2.502, -4.081],
            [5.878, 1],
            [T("max(abs(-2.25*x1 + 3.05), abs(-2.1*x1 + 0.827*x2 - 0.169))")],
            [new Constraint(T(constraint), -1e20, 62.804)]));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(0.333013 / 4.35, answer.X[0], 5);
        Assert.Equal(-3.081, answer.X[1], 6);
        Assert.Equal(2.8777519, answer.Cost, 5);
    }
}
