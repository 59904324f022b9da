using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Tests.Cycle.Solving;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>
/// Issue 19: every program of the kiln example's cycle, with its network through the exact evaluator, has the
/// derivatives of its own values, entry by entry, at its start and at the solver's answer.
/// </summary>
public class KilnDerivativeTests
{
    [Fact]
    public async Task KilnCycle_EveryProgram_AgreesWithFiniteDifferences()
    {
        using var kiln = await KilnStrategy.LoadAsync();
        var compiled = kiln.Compiled;
        var input = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var checking = new DerivativeCheckingSolver(new IpoptSolver());

        var result = new CycleRunner(checking).Run(compiled, input, new SolverSettings(), CancellationToken.None);

        Assert.Equal(CycleStatus.Success, result.Status);
        Assert.Equal("exact", result.Solver[0].ModelDerivatives.Values.Single());
        Assert.True(checking.Checked > 0);
        Assert.Empty(checking.Failures);
    }
}
