using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// Issue 19: every program a cycle hands to the solver (pieces, epigraphs, solves without the cost) has the
/// gradient, constraint Jacobian and Lagrangian Hessian of its own values, entry by entry over the full
/// matrices, at its start and at the solver's answer.
/// </summary>
public class DerivativeTests
{
    private static readonly IpoptSolver Ipopt = new();

    [Property(MaxTest = 60, Replay = "(20261129,19)")]
    public Property SmallProblems_EveryProgram_AgreesWithFiniteDifferences() =>
        Prop.ForAll(Arb.From(SmallProblems.Any), problem =>
        {
            var checking = new DerivativeCheckingSolver(Ipopt);
            var (strategy, input) = problem.Compiled();
            new CycleRunner(checking).Run(strategy, input, new SolverSettings { MaxIterations = problem.MaxIterations }, CancellationToken.None);
            return (checking.Failures.Count == 0).Label($"{string.Join("; ", checking.Failures)}; {problem}");
        });

    [Theory]
    [InlineData(8, 1)]
    [InlineData(20, 3)]
    [InlineData(40, 6)]
    public void SparseStrategy_EveryProgram_AgreesWithFiniteDifferences(int decisions, int models)
    {
        var (strategy, input) = SparseStrategy.Build(decisions, models);
        var checking = new DerivativeCheckingSolver(Ipopt);

        var result = new CycleRunner(checking).Run(strategy, input, new SolverSettings(), CancellationToken.None);

        Assert.True(result.Status is CycleStatus.Success or CycleStatus.Infeasible, $"{result.Status}: {result.Error}");
        Assert.True(checking.Programs >= 2, $"{checking.Programs} programs: the kinks should make pieces");
        Assert.True(checking.Checked > decisions * decisions, $"{checking.Checked} entries checked");
        Assert.Empty(checking.Failures);
    }

    [Fact]
    public void Program_SmoothProblem_DeclaresOnlyItsStructuralNonZeros()
    {
        // Cost (x1 - 1)² + x2·x3 and one constraint x4² + x1: the Hessian holds (x1, x1), (x3, x2) and (x4, x4), the
        // Jacobian the constraint's x1 and x4, and nothing else.
        var problem = new SmallProblem([0.5, 0.5, 0.5, 0.5], [1, 1, 1, 1], [new Term("(x1 - 1)**2", _ => 0), new Term("x2*x3", _ => 0)],
            [new Constraint(new Term("x4**2 + x1", _ => 0), -Constraint.None, 1)]);
        var checking = new DerivativeCheckingSolver(Ipopt);
        var (strategy, input) = problem.Compiled();

        new CycleRunner(checking).Run(strategy, input, new SolverSettings(), CancellationToken.None);

        var program = checking.Seen[0];
        Assert.Equal([(0, 0), (2, 1), (3, 3)], program.HessianStructure.Rows.Zip(program.HessianStructure.Columns));
        Assert.Equal([(0, 0), (0, 3)], program.JacobianStructure.Rows.Zip(program.JacobianStructure.Columns));
        Assert.Empty(checking.Failures);
    }

    [Fact]
    public void SparseStrategy_TwoThousandDecisions_SolvesWithoutOverflow()
    {
        // Issue 19: 2,000 decisions overflowed an int in the dense workspace (2,000² × variables).
        var (strategy, input) = SparseStrategy.Build(2_000, 2);

        var result = new CycleRunner(Ipopt).Run(strategy, input, new SolverSettings(), CancellationToken.None);

        Assert.True(result.Status == CycleStatus.Success, $"{result.Status}: {result.Error}");
        Assert.True(result.CostAtRecommended < result.CostAtCurrent - 1, $"{result.CostAtRecommended} vs {result.CostAtCurrent}");
    }

    [Theory]
    [InlineData("hs035")]
    [InlineData("hs039")]
    [InlineData("hs040")]
    [InlineData("hs043")]
    [InlineData("hs065")]
    [InlineData("hs071")]
    [InlineData("hs076")]
    [InlineData("hs100")]
    public void HockSchittkowski_EveryProgram_AgreesWithFiniteDifferences(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "fixtures", "hock-schittkowski");
        var strategy = StrategyCompiler.Compile(StrategyLoader.Load(File.ReadAllText(Path.Combine(folder, $"{name}.yaml")), name), new Dictionary<string, Models.IModel>());
        var values = JsonSerializer.Deserialize<Dictionary<string, double?>>(File.ReadAllText(Path.Combine(folder, $"{name}-input.json")))!;
        var checking = new DerivativeCheckingSolver(Ipopt);

        var result = new CycleRunner(checking).Run(strategy, CycleInput.FromSingleRow(values), new SolverSettings(), CancellationToken.None);

        Assert.Equal(CycleStatus.Success, result.Status);
        Assert.True(checking.Checked > 0);
        Assert.Empty(checking.Failures);
    }
}
