namespace ProcessOptimizer.Tests.Cli;

/// <summary>The bundled kiln example through <c>optimize</c>, as the README shows it.</summary>
public class KilnExampleTests
{
    private static string Kiln => TestServers.Kiln;

    private static string Strategy => Path.Combine(Kiln, "store", "configs", "process-optimization-strategy-config-1.0.0.yaml");

    [Fact]
    public void Optimize_KilnWindow_StaysWithinLimitsAndMoveWindows()
    {
        var (code, output, error) = CliRunner.Run("optimize", "--strategy", Strategy, "--store", Path.Combine(Kiln, "store"), "--input", Path.Combine(Kiln, "window-latest.csv"));

        Assert.True(code == 0, error);
        var result = CliRunner.Json(output);
        Assert.Equal("success", result.GetProperty("status").GetString());
        var predicted = result.GetProperty("predicted_variables").GetProperty("predicted_Burning_zone_temperature").GetProperty("optimizer_suggested_value").GetDouble();
        Assert.InRange(predicted, 1380, 1480);
        var thresholds = new Dictionary<string, (double Threshold, double Min, double Max)>
        {
            ["Kiln_Coal_PV"] = (0.05, 8, 16),
            ["PH_Fan_Speed_PV"] = (1, 500, 1400),
            ["Secondary_Air_Temperature"] = (1, 0, 1000),
            ["combined_Feed_rate"] = (2, 100, 400),
        };
        // Optimizable are the optimizer's inputs and, as in the original, the other Calculated variables, which keep their value.
        var optimized = result.GetProperty("optimized_variables").EnumerateObject().ToList();
        Assert.Superset(thresholds.Keys.ToHashSet(), optimized.Select(v => v.Name).ToHashSet());
        foreach (var variable in optimized)
        {
            var current = variable.Value.GetProperty("user_input_value").GetDouble();
            var recommended = variable.Value.GetProperty("optimizer_suggested_value").GetDouble();
            if (thresholds.TryGetValue(variable.Name, out var window))
            {
                Assert.InRange(recommended, Math.Max(window.Min, current - window.Threshold), Math.Min(window.Max, current + window.Threshold));
            }
            else
            {
                Assert.Equal(current, recommended);
            }
        }

        Assert.Equal("exact", result.GetProperty("solver")[0].GetProperty("model_derivatives").GetProperty("im_predict_delta_Burning_zone_temperature").GetString());
        Assert.True(result.GetProperty("cost_function_value").GetDouble() <= result.GetProperty("summary").GetProperty("optimization_impact").GetDouble() * -1 + 1e-9);
    }

    [Fact]
    public void Optimize_KilnWindow_RecommendsWhatItDidBeforeIssue12()
    {
        // Recorded before the nonsmooth solving moved to its own component (issue 12); the kiln's cost has only a
        // product of max() terms, so its pieces are enumerated as before and the answer must not move.
        var (code, output, error) = CliRunner.Run("optimize", "--strategy", Strategy, "--store", Path.Combine(Kiln, "store"), "--input", Path.Combine(Kiln, "window-latest.csv"));

        Assert.True(code == 0, error);
        var result = CliRunner.Json(output);
        var optimized = result.GetProperty("optimized_variables");
        Assert.Equal(-1, result.GetProperty("cost_function_value").GetDouble(), 9);
        Assert.Equal(11.3339, optimized.GetProperty("Kiln_Coal_PV").GetProperty("optimizer_suggested_value").GetDouble(), 6);
        Assert.Equal(791.7881683318002, optimized.GetProperty("PH_Fan_Speed_PV").GetProperty("optimizer_suggested_value").GetDouble(), 6);
        Assert.Equal(981.2890680682882, optimized.GetProperty("Secondary_Air_Temperature").GetProperty("optimizer_suggested_value").GetDouble(), 6);
        Assert.Equal(265.7467, optimized.GetProperty("combined_Feed_rate").GetProperty("optimizer_suggested_value").GetDouble(), 6);
    }

    [Fact]
    public void Optimize_CheckDerivatives_PassesOnTheKilnExample()
    {
        var (code, output, error) = CliRunner.Run("optimize", "--check-derivatives", "--strategy", Strategy, "--store", Path.Combine(Kiln, "store"), "--input", Path.Combine(Kiln, "window-latest.csv"));

        Assert.True(code == 0, output + error);
        var reported = double.Parse(output.Split('\n')[0].Split(':')[1].Split('(')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reported, 0, 1e-6);
        Assert.Contains("im_predict_delta_Burning_zone_temperature exact", output);
    }

    [Fact]
    public void Optimize_ZeroWidthMoveWindows_HoldsAndStillPredicts()
    {
        using var files = new TempFiles();
        var text = File.ReadAllText(Strategy);
        foreach (var variable in new[] { "Kiln_Coal_PV", "PH_Fan_Speed_PV", "Secondary_Air_Temperature", "combined_Feed_rate" })
        {
            text = System.Text.RegularExpressions.Regex.Replace(text, $@"(  {variable}:\n(?:    .*\n)*?    threshold: )[0-9.]+", "${1}0.0");
        }

        var strategy = files.Write("zero-width.yaml", text);
        var normal = CliRunner.Json(CliRunner.Run("optimize", "--strategy", Strategy, "--store", Path.Combine(Kiln, "store"), "--input", Path.Combine(Kiln, "window-latest.csv")).Output);
        var (code, output, error) = CliRunner.Run("optimize", "--strategy", strategy, "--store", Path.Combine(Kiln, "store"), "--input", Path.Combine(Kiln, "window-latest.csv"));

        Assert.True(code == 0, error);
        var result = CliRunner.Json(output);
        var predicted = result.GetProperty("predicted_variables").GetProperty("predicted_Burning_zone_temperature");
        var atCurrent = normal.GetProperty("predicted_variables").GetProperty("predicted_Burning_zone_temperature").GetProperty("user_input_value").GetDouble();
        Assert.Equal(atCurrent, predicted.GetProperty("optimizer_suggested_value").GetDouble(), 9);
        Assert.Equal("Not_Run_Zero_Width_Windows", result.GetProperty("solver")[0].GetProperty("status").GetString());
        Assert.All(result.GetProperty("optimized_variables").EnumerateObject(), v => Assert.Equal(0, v.Value.GetProperty("delta").GetDouble()));
        Assert.Contains(result.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("division by zero", StringComparison.Ordinal));
    }

    [Fact]
    public void Optimize_ModelMissingFromStore_PrintsNoResult()
    {
        using var files = new TempFiles();
        var (code, output, error) = CliRunner.Run("optimize", "--strategy", Strategy, "--store", files.Root, "--input", Path.Combine(Kiln, "window-latest.csv"));

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("'models/Burning_zone_temperature/Burning_zone_temperature_model.onnx' does not exist in local store '", error);
    }

    [Fact]
    public void Optimize_ModelsWithoutAStore_Exits1NamingTheSkillAndPrintsNoResult()
    {
        var (code, output, error) = CliRunner.Run("optimize", "--strategy", Strategy, "--input", Path.Combine(Kiln, "window-latest.csv"));

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("skill 'im_predict_delta_Burning_zone_temperature': model 'models/Burning_zone_temperature/Burning_zone_temperature_model.onnx' needs a model store (--store DIR)", error);
    }

    [Fact]
    public void Optimize_ModelArtifactMissing_NamesTheSkillAtItsLineInTheStrategyFile()
    {
        using var files = new TempFiles();
        var (code, _, error) = CliRunner.Run("optimize", "--strategy", Strategy, "--store", files.Root, "--input", Path.Combine(Kiln, "window-latest.csv"));

        Assert.Equal(1, code);
        var line = File.ReadAllLines(Strategy).ToList().FindIndex(l => l.Contains("im_predict_delta_Burning_zone_temperature:", StringComparison.Ordinal)) + 1;
        Assert.True(line > 0);
        Assert.Contains($"optimize: error at line {line}, column ", error);
        Assert.Contains("skill 'im_predict_delta_Burning_zone_temperature': 'models/Burning_zone_temperature/Burning_zone_temperature_model.onnx' does not exist", error);
    }

    [Fact]
    public void Validate_SeedStrategyWithoutStore_PrintsSummary()
    {
        var (code, output, error) = CliRunner.Run("validate", "--strategy", CliRunner.Fixture("seed-strategy-1.0.0.yaml"));

        Assert.Equal(0, code);
        Assert.Contains("30 variables (3 Operative, 11 Informative, 4 Calculated, 9 Delta, 1 Predicted, 2 CalculatedKPI)", output);
        Assert.Contains("4 decision variables and 1 constraints", output);
        Assert.Contains("algorithm 'SLSQP' is solved with IPOPT", error);
    }

    [Fact]
    public async Task Validate_MistypedSolverOption_IsAnErrorAndIpoptPrintsNothing()
    {
        using var files = new TempFiles();
        var text = File.ReadAllText(Strategy).Replace("      cost_skill_name: cs_kpi_calculation_flow", "      cost_skill_name: cs_kpi_calculation_flow\n      solver_options: {mu_stratgy: adaptive, max_cpu_time: 5}", StringComparison.Ordinal);
        var strategy = files.Write("strategy.yaml", text);

        // IPOPT writes to file descriptor 1 directly, so only a separate process shows what reaches stdout.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "ProcessOptimizer.dll"), "validate", "--strategy", strategy })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var errorText = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var error = await errorText;

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", output);
        Assert.Contains("'mu_stratgy' is not allowed", error);
        Assert.DoesNotContain("max_cpu_time", error);
    }

    [Fact]
    public void Validate_WithStore_ReportsMissingModelFiles()
    {
        using var files = new TempFiles();
        var (code, _, error) = CliRunner.Run("validate", "--strategy", Strategy, "--store", files.Root);

        Assert.Equal(2, code);
        Assert.Contains("skill 'im_predict_delta_Burning_zone_temperature': 'models/Burning_zone_temperature/Burning_zone_temperature_scalers.json' is not in store", error);
    }
}
