using System.Globalization;
using System.Text.Json;

namespace ProcessOptimizer.Tests.Cli;

/// <summary>
/// Classic Hock-Schittkowski problems written in the strategy format (tests/fixtures/hock-schittkowski), each
/// solved through <c>optimize</c> from its standard start to its published optimum, 1e-6 relative.
/// </summary>
public class HockSchittkowskiTests
{
    private static string Folder => CliRunner.Fixture("hock-schittkowski");

    public static TheoryData<string> Problems =>
        new(Directory.GetFiles(Folder, "hs*.yaml").Select(Path.GetFileNameWithoutExtension).Order().Select(n => n!));

    [Theory]
    [MemberData(nameof(Problems))]
    public void Optimize_HockSchittkowskiProblem_ReachesPublishedOptimum(string name)
    {
        var strategy = Path.Combine(Folder, $"{name}.yaml");
        var optimum = double.Parse(
            File.ReadLines(strategy).Single(l => l.StartsWith("# optimum:", StringComparison.Ordinal))["# optimum:".Length..],
            CultureInfo.InvariantCulture);

        var (code, output, error) = CliRunner.Run("optimize", "--strategy", strategy, "--input", Path.Combine(Folder, $"{name}-input.json"));

        Assert.True(code == 0, error);
        var result = CliRunner.Json(output);
        var cost = result.GetProperty("cost_function_value").GetDouble();
        Assert.True(Math.Abs(cost - optimum) <= 1e-6 * Math.Abs(optimum), $"{name}: {cost:R} vs {optimum:R}");
        Assert.Equal("Solve_Succeeded", result.GetProperty("solver")[0].GetProperty("status").GetString());
        Assert.Equal("exact", result.GetProperty("solver")[0].GetProperty("hessian").GetString());
    }

    [Fact]
    public void Optimize_Hs071_PrintsSeedShapedResult()
    {
        var (code, output, _) = CliRunner.Run("optimize", "--strategy", Path.Combine(Folder, "hs071.yaml"), "--input", Path.Combine(Folder, "hs071-input.json"));

        Assert.Equal(0, code);
        var result = CliRunner.Json(output);
        Assert.Equal("success", result.GetProperty("status").GetString());
        Assert.Equal(17.0140173, result.GetProperty("cost_function_value").GetDouble(), 6);
        var x2 = result.GetProperty("optimized_variables").GetProperty("x2");
        Assert.Equal(4.743, x2.GetProperty("optimizer_suggested_value").GetDouble(), 3);
        Assert.Equal(5, x2.GetProperty("user_input_value").GetDouble());
        // x1 ends at its bound 1, where it started (within 1e-6): by the original service's rule it did not change (issue 20).
        Assert.Equal(3, result.GetProperty("summary").GetProperty("total_optimizable_variables_changed").GetInt32());
        Assert.Equal(JsonValueKind.Object, result.GetProperty("constraint_variables").GetProperty("g2").ValueKind);
    }
}
