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
