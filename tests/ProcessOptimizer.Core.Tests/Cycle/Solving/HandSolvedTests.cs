using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>Issue 12: kinked problems whose optima are known by hand, each checked at its published point.</summary>
public class HandSolvedTests
{
    private static Term T(string text) => new(text, _ => double.NaN);

    private static (Published Answer, SmallProblem Problem) Solve(SmallProblem problem)
    {
        var result = problem.Run();
        var published = Published.From(problem, result);
        var (cost, _) = Published.Fresh(problem, published.X);
        Assert.Equal(cost, published.Cost);
        return (published, problem);
    }

    [Fact]
    public void Run_OptimumOnAKink_LandsOnIt()
    {
        // 3|x1 − x2| + (x1 − 2)² + x2²: off the kink the stationary points contradict their sides, so x1 = x2 = t
        // with 2(t − 2) + 2t = 0: t = 1, cost 2 (subgradient 2/3 of the kink's 3).
        var (answer, _) = Solve(new SmallProblem([0, 0], [5, 5], [T("3*abs(x1 - x2) + (x1 - 2)**2 + x2**2")], []));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(1, answer.X[0], 6);
        Assert.Equal(1, answer.X[1], 6);
        Assert.Equal(2, answer.Cost, 6);
    }

    [Fact]
    public void Run_OptimumOnABound_LandsExactlyOnIt()
    {
        // (x1 − 5)² + |x1| falls all the way to the window's edge at 2: cost 9 + 2.
        var (answer, _) = Solve(new SmallProblem([0], [2], [T("(x1 - 5)**2 + abs(x1)")], []));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(2, answer.X[0]);
        Assert.Equal(11, answer.Cost, 9);
    }

    [Fact]
    public void Run_OptimumInTheInterior_IsTheStationaryPoint()
    {
        // (x1 − 1)² + 0.5|x1 + 3|: 2(x − 1) + 0.5 = 0 at x = 0.75, cost 0.0625 + 1.875.
        var (answer, _) = Solve(new SmallProblem([0], [5], [T("(x1 - 1)**2 + 0.5*abs(x1 + 3)")], []));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(0.75, answer.X[0], 6);
        Assert.Equal(1.9375, answer.Cost, 9);
    }

    [Fact]
    public void Run_FirstPieceInfeasibleLaterOneFeasible_FindsTheLaterOne()
    {
        // max(0, x1 − 3)·max(0, 1 − x2) is a product, so its kinks are enumerated. The pieces with x1 ≥ 3 have the
        // lowest bound but g = x1 ≤ 1 rules them out; the optimum of x2² + (x1 − 2)² then sits at x1 = 1, x2 = 0.
        var (answer, _) = Solve(new SmallProblem([0, 0], [5, 5], [T("max(0, x1 - 3)*max(0, 1 - x2) + x2**2 + (x1 - 2)**2")], [new Constraint(T("x1"), -1e20, 1)]));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(1, answer.X[0], 6);
        Assert.Equal(0, answer.X[1], 6);
        Assert.Equal(1, answer.Cost, 6);
    }

    [Fact]
    public void Run_NonconvexFeasibleSetInfeasibleNearTheStart_IsFoundFromAnotherStart()
    {
        // x1² + x2² ≥ 4 from (0, 0), where the constraint's gradient vanishes: on the ring x1² + 2x2² + 0.5|x2| is
        // least at x2 = 0, x1 = ±2, cost 4.
        var (answer, _) = Solve(new SmallProblem([0, 0], [5, 5], [T("x1**2 + 2*x2**2 + 0.5*abs(x2)")], [new Constraint(T("x1**2 + x2**2"), 4, 1e20)]));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(2, Math.Abs(answer.X[0]), 5);
        Assert.Equal(0, answer.X[1], 5);
        Assert.Equal(4, answer.Cost, 5);
    }

    [Fact]
    public void Run_TenAdditiveAbsTerms_ReachesTheMedianVertex()
    {
        // With u = x1 − x2 and v = x1 + x2 the cost is Σ|u − a| + Σ|v − b|: medians u = 0, v = 2.5, so
        // x1 = x2 = 1.25, cost (2 + 1 + 0 + 1 + 3) + (1.5 + 0.5 + 0 + 1.5 + 2.5) = 13.
        var cost = "abs(x1 - x2 + 2) + abs(x1 - x2 + 1) + abs(x1 - x2) + abs(x1 - x2 - 1) + abs(x1 - x2 - 3)"
            + " + abs(x1 + x2 - 1) + abs(x1 + x2 - 2) + abs(x1 + x2 - 2.5) + abs(x1 + x2 - 4) + abs(x1 + x2 - 5)";
        var (answer, _) = Solve(new SmallProblem([-3, 4], [10, 10], [T(cost)], []));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(1.25, answer.X[0], 6);
        Assert.Equal(1.25, answer.X[1], 6);
        Assert.Equal(13, answer.Cost, 6);
        Assert.Contains(answer.Result.Warnings, w => w.Contains("10 additive max/min/abs terms", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_EightKinksThatNoEpigraphCovers_EndsAtAPointNoFlipImproves()
    {
        // Products of max terms cannot be an epigraph; with eight kinks the sides are probed, then flipped.
        // Each product is 0 at x = (0.5, 0.5) and the quadratic pulls there: cost 0.
        var cost = "max(0, x1 - 1)*max(0, x2 - 1) + max(0, -x1 - 1)*max(0, x2 - 1) + max(0, x1 - 1)*max(0, -x2 - 1)"
            + " + max(0, -x1 - 1)*max(0, -x2 - 1) + (x1 - 0.5)**2 + (x2 - 0.5)**2";
        var (answer, _) = Solve(new SmallProblem([3, 3], [5, 5], [T(cost)], []));

        Assert.Equal(CycleStatus.Success, answer.Result.Status);
        Assert.Equal(0.5, answer.X[0], 5);
        Assert.Equal(0.5, answer.X[1], 5);
        Assert.Contains(answer.Result.Warnings, w => w.Contains("too many to enumerate", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_PieceStopsAtMaxIter_PublishesOnlyAFeasiblePointAndSaysNotConverged()
    {
        // Two iterations cannot converge: the point is published only because it meets the constraint, and the
        // status says it is not proven optimal.
        var (answer, problem) = Solve(new SmallProblem([0], [5], [T("(x1 - 3)**2 + abs(x1 - 1)")], [new Constraint(T("x1"), -1, 4)]) { MaxIterations = 2 });

        Assert.Equal(CycleStatus.NotConverged, answer.Result.Status);
        Assert.InRange(answer.Constraints[0], -1, 4);
        Assert.Contains(answer.Result.Warnings, w => w.Contains("not proven optimal", StringComparison.Ordinal));
        Assert.Equal(answer.Cost, Published.Fresh(problem, answer.X).Cost);
    }

    [Fact]
    public void Run_StopsAtMaxIterBeforeAnyFeasiblePoint_HoldsWithoutCallingItInfeasible()
    {
        // |x1 − 0.37| ≤ 0.01 lies within the window, but two iterations from the start, the centre or a corner do not
        // reach it: the quartic's Newton steps close only a quarter of the distance each.
        var (answer, _) = Solve(new SmallProblem([0], [5], [T("(x1 - 3)**2 + abs(x1 - 1)")], [new Constraint(T("(x1 - 0.37)**4"), -1e20, 1e-8)]) { MaxIterations = 2 });

        Assert.Equal(CycleStatus.NotConverged, answer.Result.Status);
        Assert.Equal(0, answer.X[0]);
        Assert.Equal(10, answer.Cost);
    }
}
