using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Core.Tests.Cycle;

public class CycleRunnerTests
{
    private readonly CycleRunner _runner = new(new IpoptSolver());

    private CycleResult Run(CompiledStrategy strategy, CycleInput input) =>
        _runner.Run(strategy, input, new SolverSettings(), CancellationToken.None);

    [Fact]
    public void Run_SeedStrategy_FormsModelInputsAsTheSeedDoes()
    {
        var (compiled, model) = SeedCycle.Compile();

        var result = Run(compiled, SeedCycle.History(100));

        Assert.Equal(CycleStatus.Success, result.Status);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("history rows", StringComparison.Ordinal));
        // At the start point every delta is 0; the calciner (Informative, Absolute, lag 9, offset 29) is the
        // mean of rows [100-38, 100-9) = rows 62..90, i.e. base + 0.76; the fan (Operative, Absolute) is its dof.
        var inputs = model.FirstInputs!;
        Assert.Equal([0, 0, 0], [inputs[0], inputs[1], inputs[3]]);
        Assert.Equal(880.76, inputs[2], 9);
        Assert.Equal(700.99, inputs[4], 9);
    }

    [Fact]
    public void Run_SolverRefusesASetting_IsAnErrorWithTheSolversReason()
    {
        // Issue 14: a SolverException escaped the runner, so a worker reported it as its own crash.
        var (compiled, _) = SeedCycle.Compile();

        var result = _runner.Run(compiled, SeedCycle.History(100), new SolverSettings { MaxIterations = -1 }, CancellationToken.None);

        Assert.Equal(CycleStatus.Error, result.Status);
        Assert.Equal(CycleFailure.Solver, result.ErrorType);
        Assert.Contains("max_iter", result.Error, StringComparison.Ordinal);
        Assert.NotNull(result.DataTimestamp);
    }

    [Fact]
    public void Run_SeedStrategy_PreCalculatesAndReportsCalculatedVariables()
    {
        var (compiled, _) = SeedCycle.Compile();

        var result = Run(compiled, SeedCycle.History(100));

        // Calculated variables that are not optimized report recommended = current, never 0 (a seed defect).
        var cooler = result.Variables.Single(v => v.Name == "Cooler_Fan_7_8_9_Flow");
        Assert.Equal(37000 + 47000 + 62000 + (3 * 0.99), cooler.Current, 9);
        Assert.Equal(cooler.Current, cooler.Recommended);
        var feed = result.Variables.Single(v => v.Name == "combined_Feed_rate");
        Assert.Equal("optimizable", feed.Category);
        Assert.Equal(245 + 5 + (2 * 0.99), feed.Current, 9);
    }

    [Fact]
    public void Run_SeedStrategy_CategorisesVariablesAsTheOriginalService()
    {
        var (compiled, _) = SeedCycle.Compile();

        var result = Run(compiled, SeedCycle.History(100));

        // Issue 20: Calculated variables and the Operative ones no pre-calculation reads are optimizable, even those
        // no optimizer takes (the cooler sums); the inputs of pre-calculated sums are informative here.
        var categories = result.Variables.ToDictionary(v => v.Name, v => v.Category);
        Assert.Equal("optimizable", categories["Cooler_Fan_7_8_9_Flow"]);
        Assert.Equal("optimizable", categories["Kiln_Coal_PV"]);
        Assert.Equal("informative", categories["Cooler_Fan_7_Flow"]);
        Assert.Equal("predicted", categories["predicted_Burning_zone_temperature"]);
        Assert.Equal("calculated", categories["delta_Kiln_Coal_PV"]);
        Assert.Equal(
            compiled.Definition.Variables.Values.Where(v => v.Type == VariableType.Calculated || v.Type == VariableType.Operative).Select(v => v.Name).Order(StringComparer.Ordinal),
            categories.Where(c => c.Value == "optimizable").Select(c => c.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Run_OperativeReadByPreCalculation_IsNotOptimizable()
    {
        // Issue 20: in the original an Operative variable that a pre-calculated sum reads is fixed for the cycle.
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "seed-strategy-1.0.0.yaml"))
            .Replace("  Kiln_Feed_SFF_2_Feed_rate:\n    threshold: 1.0\n    type: Informative\n", "  Kiln_Feed_SFF_2_Feed_rate:\n    threshold: 1.0\n    type: Operative\n", StringComparison.Ordinal);
        var (compiled, _) = SeedCycle.Compile(StrategyLoader.Load(text, "operative-feed"));

        var result = Run(compiled, SeedCycle.History(100));

        Assert.Equal(VariableType.Operative, compiled.Definition.Variables["Kiln_Feed_SFF_2_Feed_rate"].Type);
        Assert.Equal("operative", result.Variables.Single(v => v.Name == "Kiln_Feed_SFF_2_Feed_rate").Category);
        Assert.Equal("optimizable", result.Variables.Single(v => v.Name == "Kiln_Coal_PV").Category);
    }

    [Fact]
    public void Run_SeedStrategy_FindsTheCheapestMoveWithinTheWindows()
    {
        var (compiled, _) = SeedCycle.Compile();

        var result = Run(compiled, SeedCycle.History(100));

        // cost = -a - b + 100ab with a = coal decrease / 0.05 and b = feed increase / 2, both in [0, 1]:
        // the optimum moves only one of them to its window edge, for a cost of -1.
        Assert.Equal(-1, result.CostAtRecommended!.Value, 6);
        var coal = result.Variables.Single(v => v.Name == "Kiln_Coal_PV");
        var feed = result.Variables.Single(v => v.Name == "combined_Feed_rate");
        Assert.InRange(coal.Recommended, coal.Current - 0.05 - 1e-7, coal.Current + 1e-7);
        Assert.InRange(feed.Recommended, feed.Current - 1e-7, feed.Current + 2 + 1e-7);
        var predicted = result.Variables.Single(v => v.Name == "predicted_Burning_zone_temperature");
        var air = result.Variables.Single(v => v.Name == "Secondary_Air_Temperature");
        var fan = result.Variables.Single(v => v.Name == "PH_Fan_Speed_PV");
        var w = SeedCycle.Weights;
        var expected = 800.99 + (w[0, 0] * feed.Delta) + (w[0, 1] * coal.Delta) + (w[0, 2] * 880.76) + (w[0, 3] * air.Delta) + (w[0, 4] * fan.Recommended);
        Assert.Equal(expected, predicted.Recommended, 6);
    }

    [Fact]
    public void Run_SeedStrategy_RulesOutThePiecesWhoseCostBoundCannotWin()
    {
        var (compiled, _) = SeedCycle.Compile();

        var result = Run(compiled, SeedCycle.History(100));

        // The piece where feed rises and coal falls is bounded by -2 and solved first, to -1. Bounded by its
        // conditions, each other piece costs at least -1 (feed up and coal up: [0, 1] + [-1, 0]), so none can win.
        Assert.Equal(-1, result.CostAtRecommended!.Value, 9);
        Assert.Contains(result.Warnings, w => w.Contains("4 combinations of 2 max/min/abs kinks, 1 solved and 3 ruled out by their cost bound", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_OneRowInput_UsesTheRowItHasAndSaysSo()
    {
        var (compiled, model) = SeedCycle.Compile();

        var result = Run(compiled, SeedCycle.History(1));

        Assert.Equal(CycleStatus.Success, result.Status);
        Assert.Equal(880, model.FirstInputs![2]);
        var warning = Assert.Single(result.Warnings, w => w.Contains("'Calciner_temperature_PV'", StringComparison.Ordinal));
        Assert.Contains("needs 38 history rows (lag 9, offset 29) but 1 were given; smoothed over rows 0..0", warning);
    }

    [Fact]
    public void Run_RequiredTagNull_IsBadDataNamingTheTag()
    {
        var (compiled, _) = SeedCycle.Compile();

        var result = Run(compiled, SeedCycle.History(5, newest => { newest["Kiln_Coal_PV"] = null; newest.Remove("Cooler_Fan_9_Flow"); }));

        Assert.Equal(CycleStatus.Error, result.Status);
        Assert.Equal(CycleFailure.BadData, result.ErrorType);
        Assert.Contains("Kiln_Coal_PV (null or not finite)", result.Error);
        Assert.Contains("Cooler_Fan_9_Flow (missing)", result.Error);
        Assert.Empty(result.Variables);
    }

    [Fact]
    public void Run_InfeasibleConstraint_HoldsEveryValueAndNamesTheViolation()
    {
        // The predicted burning zone is about 825; no move within the windows can bring it under 500.
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "seed-strategy-1.0.0.yaml"))
            .Replace("      - op_max: 1000.0\n        op_min: 0.0\n", "      - op_max: 500.0\n        op_min: 0.0\n", StringComparison.Ordinal);
        var (compiled, _) = SeedCycle.Compile(StrategyLoader.Load(text, "infeasible"));

        var result = Run(compiled, SeedCycle.History(100));

        Assert.Equal(CycleStatus.Infeasible, result.Status);
        Assert.All(result.Variables, v => Assert.Equal(v.Current, v.Recommended));
        var violation = Assert.IsType<ConstraintViolation>(result.MostViolated);
        Assert.Equal("predicted_Burning_zone_temperature", violation.Variable);
        Assert.True(violation.Amount > 300, $"violation {violation.Amount}");
        Assert.Equal("Infeasible_Problem_Detected", result.Solver[0].Status);
        // Issue 12: a local verdict skips nothing. Every piece is tried, then a solve without the cost from the start,
        // the windows' centre and corners; only when all of them find no feasible point is the problem infeasible.
        Assert.Contains(result.Warnings, w => w.Contains("none ended at a feasible point", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("found none that meets them", StringComparison.Ordinal));
        // The start, the centre and four corners, a point that repeats another tried once.
        Assert.InRange(result.Solver[0].Starts, 3, 6);
        Assert.Equal(result.CostAtCurrent, result.CostAtRecommended);
        Assert.Equal(result.CostAtCurrent, result.Solver[0].Objective);
    }

    [Fact]
    public void Run_FormulaFailsAtOperatingPoint_IsAnErrorNamingSkillAndFormula()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "seed-strategy-1.0.0.yaml"))
            .Replace("formula: Kiln_Coal_PV_dof - Kiln_Coal_PV_current", "formula: log(Kiln_Coal_PV_dof - Kiln_Coal_PV_current)", StringComparison.Ordinal);
        var (compiled, _) = SeedCycle.Compile(StrategyLoader.Load(text, "broken"));

        var result = Run(compiled, SeedCycle.History(100));

        Assert.Equal(CycleStatus.Error, result.Status);
        Assert.Equal(CycleFailure.Formula, result.ErrorType);
        Assert.Equal("skill 'mf_calc_delta_Kiln_Coal_PV': formula 'log(Kiln_Coal_PV_dof - Kiln_Coal_PV_current)': log of non-positive number 0 at column 1", result.Error);
    }

    [Fact]
    public void Run_EightCyclesAtOnce_AllGetTheSameAnswer()
    {
        var (compiled, _) = SeedCycle.Compile();
        var input = SeedCycle.History(100);
        var expected = Run(compiled, input).CostAtRecommended;

        var results = new CycleResult[8];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Run(compiled, input));

        Assert.All(results, r => Assert.Equal(expected, r.CostAtRecommended));
    }

    [Fact]
    public void MoveWindow_EmptyRange_FallsBackToHardLimits()
    {
        var variable = new Variable("x", VariableType.Operative, "", 1, 8, 16, default);

        Assert.Equal((11.0, 13.0), CycleRun.MoveWindow(variable, 12));
        Assert.Equal((15.0, 16.0), CycleRun.MoveWindow(variable, 15.9 + 0.1));
        Assert.Equal((8.0, 16.0), CycleRun.MoveWindow(variable, 17.5));
    }

    [Fact]
    public void Run_MeasuredBeyondTheHardLimitsByMoreThanTheThreshold_WarnsThatItMayMovePastTheThreshold()
    {
        // x1 may move 1 a cycle within [-10, 10]. Measured at 50, the seed's rule lets it go anywhere in [-10, 10], and
        // the answer moved it 47 with status success and no word of it.
        var cost = new Solving.Term("(x1 - 3)**2", x => (x[0] - 3) * (x[0] - 3));

        var beyond = new Solving.SmallProblem([50], [1], [cost], []).Run();
        var justOutside = new Solving.SmallProblem([10.5], [1], [cost], []).Run();

        Assert.Equal(3, beyond.Variables.Single(v => v.Name == "x1").Recommended, 6);
        Assert.Contains(beyond.Warnings, w => w.Contains("'x1' = 50 is more than its threshold 1 outside its hard limits -10–10", StringComparison.Ordinal));
        Assert.Equal(9.5, justOutside.Variables.Single(v => v.Name == "x1").Recommended, 6);
        Assert.DoesNotContain(justOutside.Warnings, w => w.Contains("outside its hard limits", StringComparison.Ordinal));
    }
}
