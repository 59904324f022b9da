using System.Text.Json;

namespace ProcessOptimizer.Tests.Cli;

/// <summary>Classic Hock-Schittkowski problems through <c>optimize</c>, each from its standard start, to 1e-6 relative.</summary>
public class HockSchittkowskiTests
{
    private const double Inf = double.PositiveInfinity;

    private static readonly Dictionary<string, HockSchittkowskiProblem> ByName = new HockSchittkowskiProblem[]
    {
        new HockSchittkowskiProblem("hs035", [("x1", 0, Inf, 0.5), ("x2", 0, Inf, 0.5), ("x3", 0, Inf, 0.5)],
            "9 - 8*x1 - 6*x2 - 4*x3 + 2*x1**2 + 2*x2**2 + x3**2 + 2*x1*x2 + 2*x1*x3",
            [("x1 + x2 + 2*x3", -Inf, 3)], 1.0 / 9),
        new HockSchittkowskiProblem("hs039", [("x1", -Inf, Inf, 2), ("x2", -Inf, Inf, 2), ("x3", -Inf, Inf, 2), ("x4", -Inf, Inf, 2)],
            "-x1", [("x2 - x1**3 - x3**2", 0, 0), ("x1**2 - x2 - x4**2", 0, 0)], -1),
        new HockSchittkowskiProblem("hs040", [("x1", -Inf, Inf, 0.8), ("x2", -Inf, Inf, 0.8), ("x3", -Inf, Inf, 0.8), ("x4", -Inf, Inf, 0.8)],
            "-x1*x2*x3*x4", [("x1**3 + x2**2", 1, 1), ("x1**2*x4 - x3", 0, 0), ("x4**2 - x2", 0, 0)], -0.25),
        new HockSchittkowskiProblem("hs043", [("x1", -Inf, Inf, 0), ("x2", -Inf, Inf, 0), ("x3", -Inf, Inf, 0), ("x4", -Inf, Inf, 0)],
            "x1**2 + x2**2 + 2*x3**2 + x4**2 - 5*x1 - 5*x2 - 21*x3 + 7*x4",
            [("8 - x1**2 - x2**2 - x3**2 - x4**2 - x1 + x2 - x3 + x4", 0, Inf),
             ("10 - x1**2 - 2*x2**2 - x3**2 - 2*x4**2 + x1 + x4", 0, Inf),
             ("5 - 2*x1**2 - x2**2 - x3**2 - 2*x1 + x2 + x4", 0, Inf)], -44),
        new HockSchittkowskiProblem("hs065", [("x1", -4.5, 4.5, -5), ("x2", -4.5, 4.5, 5), ("x3", -5, 5, 0)],
            "(x1 - x2)**2 + (x1 + x2 - 10)**2/9 + (x3 - 5)**2", [("48 - x1**2 - x2**2 - x3**2", 0, Inf)], 0.9535288567),
        new HockSchittkowskiProblem("hs071", [("x1", 1, 5, 1), ("x2", 1, 5, 5), ("x3", 1, 5, 5), ("x4", 1, 5, 1)],
            "x1*x4*(x1 + x2 + x3) + x3", [("x1*x2*x3*x4", 25, Inf), ("x1**2 + x2**2 + x3**2 + x4**2", 40, 40)], 17.0140173),
        new HockSchittkowskiProblem("hs076", [("x1", 0, Inf, 0.5), ("x2", 0, Inf, 0.5), ("x3", 0, Inf, 0.5), ("x4", 0, Inf, 0.5)],
            "x1**2 + 0.5*x2**2 + x3**2 + 0.5*x4**2 - x1*x3 + x3*x4 - x1 - 3*x2 + x3 - x4",
            [("5 - x1 - 2*x2 - x3 - x4", 0, Inf), ("4 - 3*x1 - x2 - 2*x3 + x4", 0, Inf), ("x2 + 4*x3 - 1.5", 0, Inf)], -4.681818181),
        new HockSchittkowskiProblem("hs100",
            [("x1", -Inf, Inf, 1), ("x2", -Inf, Inf, 2), ("x3", -Inf, Inf, 0), ("x4", -Inf, Inf, 4), ("x5", -Inf, Inf, 0), ("x6", -Inf, Inf, 1), ("x7", -Inf, Inf, 1)],
            "(x1 - 10)**2 + 5*(x2 - 12)**2 + x3**4 + 3*(x4 - 11)**2 + 10*x5**6 + 7*x6**2 + x7**4 - 4*x6*x7 - 10*x6 - 8*x7",
            [("127 - 2*x1**2 - 3*x2**4 - x3 - 4*x4**2 - 5*x5", 0, Inf),
             ("282 - 7*x1 - 3*x2 - 10*x3**2 - x4 + x5", 0, Inf),
             ("196 - 23*x1 - x2**2 - 6*x6**2 + 8*x7", 0, Inf),
             ("-4*x1**2 - x2**2 + 3*x1*x2 - 2*x3**2 - 5*x6 + 11*x7", 0, Inf)], 680.6300573),
    }.ToDictionary(p => p.Name);

    public static TheoryData<string> Problems => new(ByName.Keys);

    [Theory]
    [MemberData(nameof(Problems))]
    public void Optimize_HockSchittkowskiProblem_ReachesPublishedOptimum(string name)
    {
        var problem = ByName[name];
        using var files = new TempFiles();
        var strategy = files.Write($"{problem.Name}.yaml", problem.Strategy());
        var input = files.Write($"{problem.Name}.json", problem.Input());

        var (code, output, error) = CliRunner.Run("optimize", "--strategy", strategy, "--input", input);

        Assert.True(code == 0, error);
        var result = CliRunner.Json(output);
        var cost = result.GetProperty("cost_function_value").GetDouble();
        Assert.True(Math.Abs(cost - problem.Optimum) <= 1e-6 * Math.Abs(problem.Optimum), $"{problem.Name}: {cost:R} vs {problem.Optimum:R}");
        Assert.Equal("Solve_Succeeded", result.GetProperty("solver")[0].GetProperty("status").GetString());
        Assert.Equal("exact", result.GetProperty("solver")[0].GetProperty("hessian").GetString());
    }

    [Fact]
    public void Optimize_Hs071Fixture_PrintsSeedShapedResult()
    {
        var (code, output, _) = CliRunner.Run("optimize", "--strategy", CliRunner.Fixture("hs071.yaml"), "--input", CliRunner.Fixture("hs071-input.json"));

        Assert.Equal(0, code);
        var result = CliRunner.Json(output);
        Assert.Equal("success", result.GetProperty("status").GetString());
        Assert.Equal(17.0140173, result.GetProperty("cost_function_value").GetDouble(), 6);
        var x2 = result.GetProperty("optimized_variables").GetProperty("x2");
        Assert.Equal(4.743, x2.GetProperty("optimizer_suggested_value").GetDouble(), 3);
        Assert.Equal(5, x2.GetProperty("user_input_value").GetDouble());
        Assert.Equal(4, result.GetProperty("summary").GetProperty("total_optimizable_variables_changed").GetInt32());
        Assert.Equal(JsonValueKind.Object, result.GetProperty("constraint_variables").GetProperty("g2").ValueKind);
    }
}
