using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// A constraint whose value depends on no decision variable (a guard on a measured value, or a formula whose
/// decisions cancel) cannot be moved by the optimizer. Met, it does not restrict the move; missed, the minute is
/// infeasible at once, naming the constraint and its value. It used to end the cycle in error ("IPOPT refused the
/// problem definition").
/// </summary>
public class ConstantConstraintTests
{
    private const string NoDecision = "does not depend on any decision variable";

    private static readonly Term Cost = new("(x1 - 2)**2 + (x2 + 1)**2 + 3*abs(x1 - x2)", x => ((x[0] - 2) * (x[0] - 2)) + ((x[1] + 1) * (x[1] + 1)) + (3 * Math.Abs(x[0] - x[1])));

    // 10⁶·(x1 − x1) + x2 − x2 is 0 everywhere: its decisions cancel.
    private static readonly Term Cancelling = new("1000000*(x1 - x1) + x2 - x2", _ => 0);

    private static readonly Term Sum = new("x1 + x2", x => x[0] + x[1]);

    [Fact]
    public void Run_OnlyConstraintIsConstantAndMet_SameAnswerAsWithoutIt()
    {
        var without = new SmallProblem([0, 0], [3, 3], [Cost], []).Run();
        var problem = new SmallProblem([0, 0], [3, 3], [Cost], [new Constraint(Cancelling, -1, 1)]);
        var result = problem.Run();

        Assert.True(result.Status == CycleStatus.Success, $"{result.Status} {result.Error}");
        Assert.Equal(without.CostAtRecommended!.Value, result.CostAtRecommended!.Value, 9);
        var published = Published.From(problem, result);
        Assert.Equal(Published.Fresh(problem, published.X).Cost, published.Cost);
        Assert.Equal(0, published.Constraints[0]);
        Assert.Contains(result.Warnings, w => w.Contains("'g1'", StringComparison.Ordinal) && w.Contains(NoDecision, StringComparison.Ordinal) && w.Contains("does not restrict", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_OnlyConstraintIsConstantAndMissed_InfeasibleNamingItAndItsValue()
    {
        var result = new SmallProblem([0.5, -0.5], [3, 3], [Cost], [new Constraint(Cancelling, 2, 5)]).Run();

        Assert.True(result.Status == CycleStatus.Infeasible, $"{result.Status} {result.Error}");
        Assert.Null(result.Error);
        Assert.Equal("g1", result.MostViolated?.Variable);
        Assert.Equal(0, result.MostViolated!.Value);
        Assert.Equal(2, result.MostViolated.Amount);
        Assert.Equal(0.5, result.Variables.Single(v => v.Name == "x1").Recommended);
        Assert.Equal(-0.5, result.Variables.Single(v => v.Name == "x2").Recommended);
        Assert.Contains(result.Warnings, w => w.Contains("'g1' = 0", StringComparison.Ordinal) && w.Contains(NoDecision, StringComparison.Ordinal) && w.Contains("2–5", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_ConstantMetBesideAnActiveConstraint_TheActiveOneStillBinds()
    {
        // x1 + x2 ≥ 3 binds (unconstrained, the optimum is near (0.5, 0.5)); the constant row must not get in the way.
        var withConstant = new SmallProblem([1, 1], [3, 3], [Cost], [new Constraint(Cancelling, -1, 1), new Constraint(Sum, 3, Constraint.None)]).Run();
        var alone = new SmallProblem([1, 1], [3, 3], [Cost], [new Constraint(Sum, 3, Constraint.None)]).Run();

        Assert.True(withConstant.Status == CycleStatus.Success, $"{withConstant.Status} {withConstant.Error}");
        Assert.Equal(alone.CostAtRecommended!.Value, withConstant.CostAtRecommended!.Value, 9);
        var g2 = withConstant.Variables.Single(v => v.Name == "g2").Recommended;
        Assert.True(g2 >= 3 - 1e-6, $"x1 + x2 = {g2}");
    }

    [Fact]
    public void Run_ConstantMissedBesideAFeasibleConstraint_InfeasibleWithoutSolving()
    {
        var result = new SmallProblem([1, 1], [3, 3], [Cost], [new Constraint(Sum, 0, 4), new Constraint(Cancelling, 1, Constraint.None)]).Run();

        Assert.True(result.Status == CycleStatus.Infeasible, $"{result.Status} {result.Error}");
        Assert.Equal("g2", result.MostViolated?.Variable);
        Assert.Equal(0, result.Solver.Single().Solves);
    }

    [Fact]
    public void Run_ConstantMissed_WarmAfterItPublishesWhatColdDoes()
    {
        var problem = new SmallProblem([0.5, -0.5], [3, 3], [Cost], [new Constraint(Cancelling, 2, 5)]);
        var cold = problem.Run();
        var warm = problem.Run(cold.Next);

        Assert.Equal(cold.Status, warm.Status);
        Assert.Equal(cold.MostViolated, warm.MostViolated);
    }
}
