using System.Globalization;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Tests.Cli;

namespace ProcessOptimizer.Tests.Backtests;

/// <summary>Issue 18: <c>backtest</c> on the kiln example's history replays the loop's cycle at each past step.</summary>
public sealed class BacktestCommandTests
{
    private const string Predicted = "predicted_Burning_zone_temperature";

    [Fact]
    public async Task Backtest_DeployedVersionOnWorkers_EachStepRecommendsWhatOptimizeDoesOnItsWindow()
    {
        using var kiln = new KilnBacktest();

        var (code, output, error) = kiln.Run(2, "--from", "2026-01-02T10:00:00Z", "--to", "2026-01-02T12:00:00Z", "--step", "10m");

        Assert.True(code == 0, error);
        Assert.Contains("1.0.0", output);
        var steps = await kiln.StepsAsync(kiln.Summary().GetProperty("id").GetInt64());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => KilnBacktest.At("2026-01-02T10:00:00Z").AddMinutes(10 * i)), steps.Select(s => s.Time));
        var strategy = Path.Combine(kiln.Store, "configs", "process-optimization-strategy-config-1.0.0.yaml");
        foreach (var step in steps)
        {
            // More rows than the strategy reads: a window that reached too far back or not far enough would differ.
            var (_, json, _) = CliRunner.Run("optimize", "--strategy", strategy, "--store", kiln.Store, "--input", kiln.Window(step.Time, 150));
            var result = CliRunner.Json(json);
            Assert.Equal(result.GetProperty("status").GetString()!.Replace('_', '-'), step.Outcome.Name());
            Assert.Equal(result.GetProperty("cost_function_value").GetDouble(), step.Cost);
            Assert.Equal(4, step.Decisions.Count);
            foreach (var (name, value) in step.Decisions)
            {
                var expected = result.GetProperty("optimized_variables").GetProperty(name);
                Assert.Equal(expected.GetProperty("optimizer_suggested_value").GetDouble(), value.Recommended);
                Assert.Equal(expected.GetProperty("user_input_value").GetDouble(), value.Current);
            }
        }

        var csv = File.ReadAllLines(Path.Combine(kiln.Out, "steps.csv"));
        Assert.Equal("version,time,outcome,cost,Secondary_Air_Temperature,combined_Feed_rate,PH_Fan_Speed_PV,Kiln_Coal_PV", csv[0]);
        Assert.Equal(13, csv.Length);
        var last = csv[^1].Split(',');
        Assert.Equal(["1.0.0", "2026-01-02T11:50:00Z", steps[^1].Outcome.Name()], last[..3]);
        Assert.Equal(steps[^1].Decisions["Kiln_Coal_PV"].Recommended, double.Parse(last[7], CultureInfo.InvariantCulture));
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(kiln.Out, "report.html")));
    }

    [Fact]
    public async Task Backtest_GapAndBadRow_CountsStaleNoNewDataAndBadDataSteps()
    {
        // Rows from 01:00 to 01:29 are missing and the 01:45 row has no coal value; data older than 600 s is stale.
        using var kiln = new KilnBacktest(line =>
        {
            var time = KilnBacktest.At(line.Split(',')[0]);
            if (time >= KilnBacktest.At("2026-01-02T01:00:00Z") && time < KilnBacktest.At("2026-01-02T01:30:00Z"))
            {
                return null;
            }

            return time == KilnBacktest.At("2026-01-02T01:45:00Z") ? string.Join(',', line.Split(',').Select((cell, i) => i == 3 ? "" : cell)) : line;
        });
        Assert.Equal("Kiln_Coal_PV", kiln.Lines[0].Split(',')[3]);

        var (code, _, error) = kiln.Run(0, "--from", "2026-01-02T00:30:00Z", "--to", "2026-01-02T02:00:00Z", "--step", "5m");

        Assert.True(code == 0, error);
        var steps = await kiln.StepsAsync(kiln.Summary().GetProperty("id").GetInt64());
        var byTime = steps.ToDictionary(s => s.Time.ToString("HH:mm", CultureInfo.InvariantCulture), s => s.Outcome);
        Assert.Equal(18, byTime.Count);
        // 01:00 still sees 00:59, one minute old and newer than the 00:55 step's data; 01:05 sees it again.
        Assert.Equal(RunOutcome.SkippedNoNewData, byTime["01:05"]);
        Assert.All(new[] { "01:10", "01:15", "01:20", "01:25" }, t => Assert.Equal(RunOutcome.SkippedStale, byTime[t]));
        Assert.Equal(RunOutcome.SkippedBadData, byTime["01:45"]);
        Assert.All(byTime.Where(p => p.Key is not ("01:05" or "01:10" or "01:15" or "01:20" or "01:25" or "01:45")), p => Assert.Contains(p.Value, new[] { RunOutcome.Success, RunOutcome.Infeasible, RunOutcome.NotConverged }));
        Assert.Contains("Kiln_Coal_PV", steps.Single(s => s.Outcome == RunOutcome.SkippedBadData).Message);
        var outcomes = kiln.Summary().GetProperty("versions").GetProperty("1.0.0").GetProperty("outcomes");
        Assert.Equal(4, outcomes.GetProperty("skipped-stale").GetInt32());
        Assert.Equal(1, outcomes.GetProperty("skipped-no-new-data").GetInt32());
        Assert.Equal(1, outcomes.GetProperty("skipped-bad-data").GetInt32());
        Assert.Equal(0, outcomes.GetProperty("error").GetInt32());
        Assert.Equal(12, new[] { "success", "infeasible", "not-converged", "solver-failed" }.Sum(o => outcomes.GetProperty(o).GetInt32()));
        Assert.Equal(18, kiln.Summary().GetProperty("versions").GetProperty("1.0.0").GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task Backtest_ModelQuality_MatchesFiguresComputedFromStoredPredictionsAndHistory()
    {
        using var kiln = new KilnBacktest();

        var (code, _, error) = kiln.Run(0, "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-02T04:00:00Z", "--step", "5m");

        Assert.True(code == 0, error);
        var summary = kiln.Summary();
        var steps = await kiln.StepsAsync(summary.GetProperty("id").GetInt64());
        // The horizon comes from the model's metadata (horizon_minutes: 45); the measured value is the history's row then.
        var pairs = steps.Where(s => s.Predictions.ContainsKey(Predicted))
            .Select(s => (s.Time, Predicted: s.Predictions[Predicted].Current, Measured: kiln.Value("Burning_zone_temperature", s.DataTimestamp!.Value.AddMinutes(45)))).ToList();
        Assert.Equal(48, pairs.Count);
        var errors = pairs.Select(p => p.Predicted - p.Measured).ToList();
        var mean = pairs.Average(p => p.Measured);
        var quality = summary.GetProperty("versions").GetProperty("1.0.0").GetProperty("model_quality").GetProperty(Predicted);
        Assert.Equal(45, quality.GetProperty("horizon_minutes").GetDouble());
        Assert.Equal(48, quality.GetProperty("samples").GetInt32());
        Assert.Equal(errors.Average(e => Math.Abs(e)), quality.GetProperty("mae").GetDouble(), 9);
        Assert.Equal(errors.Average(), quality.GetProperty("bias").GetDouble(), 9);
        Assert.Equal(1 - (errors.Sum(e => e * e) / pairs.Sum(p => (p.Measured - mean) * (p.Measured - mean))), quality.GetProperty("r2").GetDouble(), 9);
        // Twelve slices of 20 minutes: the first holds the steps at 00:00, 00:05, 00:10 and 00:15.
        var first = quality.GetProperty("drift")[0];
        Assert.Equal(4, first.GetProperty("samples").GetInt32());
        Assert.Equal(errors.Take(4).Average(e => Math.Abs(e)), first.GetProperty("mae").GetDouble(), 9);
        Assert.Equal(48, quality.GetProperty("drift").EnumerateArray().Sum(d => d.GetProperty("samples").GetInt32()));
        // What the operators did is the next step's current value, and only the last step has none.
        for (var i = 0; i + 1 < steps.Count; i++)
        {
            Assert.Equal(steps[i + 1].Decisions["Kiln_Coal_PV"].Current, steps[i].OperatorsNext["Kiln_Coal_PV"]);
            Assert.NotNull(steps[i].CostAtOperators);
        }

        Assert.Empty(steps[^1].OperatorsNext);
        var followed = summary.GetProperty("versions").GetProperty("1.0.0").GetProperty("if_followed");
        Assert.Equal(47, followed.GetProperty("steps").GetInt32());
        Assert.Equal(steps.SkipLast(1).Average(s => s.CostAtOperators!.Value - s.Cost!.Value), followed.GetProperty("saving").GetDouble(), 9);
        Assert.StartsWith("model-based estimate", followed.GetProperty("label").GetString());
    }

    [Fact]
    public async Task Backtest_TwoVersions_SameStepsAndDifferWhereTheCoalMoveLimitDiffers()
    {
        using var kiln = new KilnBacktest();
        kiln.AddVersion("1.0.1", text => text.Replace("threshold: 0.05", "threshold: 0.1", StringComparison.Ordinal));

        var (code, output, error) = kiln.Run(2, "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-02T01:00:00Z", "--step", "10m", "--version", "1.0.0", "--version", "1.0.1");

        Assert.True(code == 0, error);
        Assert.Contains("1.0.1", output);
        var steps = await kiln.StepsAsync(kiln.Summary().GetProperty("id").GetInt64());
        var old = steps.Where(s => s.Version == "1.0.0").ToList();
        var candidate = steps.Where(s => s.Version == "1.0.1").ToList();
        Assert.Equal(6, old.Count);
        Assert.Equal(old.Select(s => (s.Time, s.DataTimestamp)), candidate.Select(s => (s.Time, s.DataTimestamp)));
        foreach (var (a, b) in old.Zip(candidate))
        {
            Assert.Equal(a.Decisions["Kiln_Coal_PV"].Current, b.Decisions["Kiln_Coal_PV"].Current);
            Assert.InRange(Math.Abs(a.Decisions["Kiln_Coal_PV"].Recommended - a.Decisions["Kiln_Coal_PV"].Current), 0, 0.05 + 1e-9);
            Assert.InRange(Math.Abs(b.Decisions["Kiln_Coal_PV"].Recommended - b.Decisions["Kiln_Coal_PV"].Current), 0, 0.1 + 1e-9);
        }

        Assert.Contains(candidate, s => Math.Abs(s.Decisions["Kiln_Coal_PV"].Recommended - s.Decisions["Kiln_Coal_PV"].Current) > 0.05 + 1e-6);
        var versions = kiln.Summary().GetProperty("versions");
        double Move(string v) => versions.GetProperty(v).GetProperty("decisions").GetProperty("Kiln_Coal_PV").GetProperty("mean_abs_move").GetDouble();
        Assert.True(Move("1.0.1") > Move("1.0.0"), $"{Move("1.0.1")} vs {Move("1.0.0")}");
    }

    [Fact]
    public void Backtest_UnknownVersionOrBadStep_ExitsWithTwoAndSaysWhy()
    {
        using var kiln = new KilnBacktest();

        var unknown = kiln.Run(0, "--from", "2026-01-02T10:00:00Z", "--to", "2026-01-02T11:00:00Z", "--version", "9.9.9");
        var badStep = kiln.Run(0, "--from", "2026-01-02T10:00:00Z", "--to", "2026-01-02T11:00:00Z", "--step", "soon");
        var backwards = kiln.Run(0, "--from", "2026-01-02T11:00:00Z", "--to", "2026-01-02T10:00:00Z");

        Assert.Equal(2, unknown.Code);
        Assert.Contains("9.9.9", unknown.Error);
        Assert.Equal(2, badStep.Code);
        Assert.Contains("'soon' is not a positive duration", badStep.Error);
        Assert.Equal(2, backwards.Code);
        Assert.Contains("must be before", backwards.Error);
    }
}
