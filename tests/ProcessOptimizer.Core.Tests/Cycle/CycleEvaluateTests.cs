using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Core.Tests.Cycle;

/// <summary>Issue 18: <see cref="CycleRunner.Evaluate"/> gives the strategy's cost and predictions at a point, as a backtest needs for what the operators did.</summary>
public class CycleEvaluateTests
{
    [Fact]
    public void Evaluate_AtTheRecommendation_GivesTheCycleCostAndPredictions()
    {
        var (compiled, _) = SeedCycle.Compile();
        var input = SeedCycle.History(100);
        var runner = new CycleRunner(new IpoptSolver());
        var solved = runner.Run(compiled, input, new SolverSettings(), CancellationToken.None);
        var decisions = new[] { "Secondary_Air_Temperature", "combined_Feed_rate", "PH_Fan_Speed_PV", "Kiln_Coal_PV" };

        var evaluated = runner.Evaluate(compiled, input, decisions.ToDictionary(d => d, d => solved.Variables.Single(v => v.Name == d).Recommended), CancellationToken.None);

        Assert.Equal(CycleStatus.Success, solved.Status);
        Assert.Equal(solved.CostAtRecommended!.Value, evaluated.CostAtRecommended!.Value, 12);
        Assert.Equal(solved.CostAtCurrent!.Value, evaluated.CostAtCurrent!.Value, 12);
        Assert.Equal(Predicted(solved), Predicted(evaluated), 9);
    }

    [Fact]
    public void Evaluate_OutsideTheMoveWindows_KeepsThePointAndItsOwnCost()
    {
        var (compiled, _) = SeedCycle.Compile();
        var input = SeedCycle.History(100);
        var runner = new CycleRunner(new IpoptSolver());
        var current = runner.Evaluate(compiled, input, new Dictionary<string, double>(), CancellationToken.None);
        var coal = current.Variables.Single(v => v.Name == "Kiln_Coal_PV").Current;

        // Coal's threshold is far smaller than this move: what the operators did is evaluated as it was, never clamped.
        var moved = runner.Evaluate(compiled, input, new Dictionary<string, double> { ["Kiln_Coal_PV"] = coal + 2 }, CancellationToken.None);

        Assert.Equal(current.CostAtCurrent, current.CostAtRecommended);
        Assert.Equal(coal + 2, moved.Variables.Single(v => v.Name == "Kiln_Coal_PV").Recommended);
        Assert.NotEqual(current.CostAtRecommended, moved.CostAtRecommended);
        // The linear stand-in gains 20 per unit of coal delta.
        Assert.Equal(Predicted(current) + 40, Predicted(moved), 6);
    }

    private static double Predicted(CycleResult result) => result.Variables.Single(v => v.Name == "predicted_Burning_zone_temperature").Recommended;
}
