using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Solver.Ipopt;

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

    // A guard on a measured value: the constraint's variable is an input, which no skill computes.
    private const string Guarded = """
        variables:
          x: {type: Operative, threshold: 2, max_hard_limit: 10}
          temp: {type: Informative}
          cost: {type: CalculatedKPI}
        skills:
          mf_cost:
            class: MathFunction
            inputs: [x]
            outputs: [cost]
            config:
              formula: (x - 3) ** 2
          bounds:
            class: Bounds
            inputs: [x]
          limits:
            class: Constraints
            config:
              template:
                - {predicted_var: temp, op_min: 0, op_max: 1000}
          optimizer:
            class: OptimizationSkill
            inputs: [x]
            config:
              cost_skill_name: mf_cost
              cost_feature_name: cost
        tasks:
          - name: CalculateRecommendations
            skill_sequence: [bounds, limits, optimizer]
        """;

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

    [Fact]
    public void Read_ConstraintOnAMeasuredValue_IsAWarningWithItsLineNotAnError()
    {
        var (strategy, problems) = StrategyLoader.Read(Guarded);

        Assert.NotNull(strategy);
        var note = Assert.Single(problems);
        Assert.True(note.IsWarning);
        Assert.Contains("'temp' is not computed by cost skill 'mf_cost', so the constraint cannot change during the solve", note.Message, StringComparison.Ordinal);
        Assert.Equal(19, note.Location?.Line);
    }

    [Theory]
    [InlineData(900, CycleStatus.Success, 4)]
    [InlineData(1200, CycleStatus.Infeasible, 6)]
    public void Run_ConstraintOnAMeasuredValue_MetDoesNotRestrictMissedHoldsNamingIt(double temp, CycleStatus expected, double x)
    {
        var strategy = StrategyCompiler.Compile(StrategyLoader.Load(Guarded, "guarded"), new Dictionary<string, Models.IModel>());
        var input = new CycleInput([new ProcessRow(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new Dictionary<string, double?> { ["x"] = 6, ["temp"] = temp })]);

        var result = new CycleRunner(new IpoptSolver()).Run(strategy, input, new SolverSettings(), CancellationToken.None);

        Assert.True(expected == result.Status, $"{result.Status} {result.Error}");
        Assert.Equal(x, result.Variables.Single(v => v.Name == "x").Recommended, 6);
        if (expected == CycleStatus.Infeasible)
        {
            Assert.Equal(new ConstraintViolation("temp", 1200, 0, 1000, 200), result.MostViolated);
            Assert.Contains(result.Warnings, w => w.Contains("'temp' = 1200 does not depend on any decision variable and misses its range 0–1000 by 200", StringComparison.Ordinal));
        }
    }
}
