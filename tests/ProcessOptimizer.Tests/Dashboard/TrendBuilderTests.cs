using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Dashboard;

namespace ProcessOptimizer.Tests.Dashboard;

public class TrendBuilderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RunRecord Run(long id, int minute, RunOutcome outcome, double? predicted = null) => new()
    {
        Id = id, StrategyName = "process-optimization", StrategyVersion = "1.0.0", Outcome = outcome,
        StartedAt = Start.AddMinutes(minute), FinishedAt = Start.AddMinutes(minute), DataTimestamp = Start.AddMinutes(minute),
        Recommendations = predicted is { } p ? [new Recommendation("predicted_Burning_zone_temperature", 1400, p, p - 1400, "")] : [],
    };

    private static ProcessRow Measured(int minute, double value) => new(Start.AddMinutes(minute), new Dictionary<string, double?> { ["Burning_zone_temperature"] = value });

    [Fact]
    public void Representatives_MoreRunsThanPoints_KeepsTheWorstOfEachBucket()
    {
        var runs = new[] { Run(1, 0, RunOutcome.Success), Run(2, 1, RunOutcome.Infeasible), Run(3, 2, RunOutcome.Success), Run(4, 10, RunOutcome.Success), Run(5, 11, RunOutcome.SkippedStale) };

        var shown = TrendBuilder.Representatives(runs, Start, Start.AddMinutes(20), 2);

        Assert.Equal([2L, 5L], shown.Select(r => r.Id));
    }

    [Fact]
    public void Representatives_FewRuns_KeepsEveryRun()
    {
        var runs = new[] { Run(1, 0, RunOutcome.Success), Run(2, 1, RunOutcome.Error) };

        Assert.Equal([1L, 2L], TrendBuilder.Representatives(runs, Start, Start.AddMinutes(20), 2).Select(r => r.Id));
    }

    [Fact]
    public void Build_Predictions_PairEachWithTheMeasurementAHorizonLater()
    {
        var runs = new[] { Run(1, 0, RunOutcome.Success, 1420), Run(2, 10, RunOutcome.Success, 1400), Run(3, 20, RunOutcome.SkippedStale, 1500), Run(4, 30, RunOutcome.Success, 1430) };
        // 1410 follows the first two runs five minutes later; nothing follows the last one yet.
        var rows = new[] { Measured(0, 1000), Measured(5, 1410), Measured(15, 1410), Measured(30, 1000) };

        var report = TrendBuilder.Build("process-optimization", KilnDefinition.Strategy, ["predicted_Burning_zone_temperature"], rows, runs, Start, Start.AddMinutes(31), 100, 300);

        var p = report.Predictions.Single();
        Assert.Equal("Burning_zone_temperature", p.Measured);
        Assert.Equal([1420.0, 1400, 1430], p.Predicted);
        Assert.Equal([1410.0, 1410, null], p.Actual);
        Assert.Equal([10.0, 0, 0], p.RunningBias);
        Assert.Equal([10.0, 10, 10], p.RunningMae);
        Assert.Equal((0.0, 10.0, 2), (p.Bias!.Value, p.Mae!.Value, p.Pairs));
        Assert.Equal(4, report.RunsInRange);
        Assert.Equal(["success", "success", "skipped-stale", "success"], report.Runs.Outcomes);
    }

    [Fact]
    public void DefaultVariables_Kiln_AreTheDecisionsTheConstraintAndItsMeasuredTag()
    {
        var names = TrendBuilder.DefaultVariables(KilnDefinition.Strategy);

        Assert.Equal(
            new[] { "Burning_zone_temperature", "Kiln_Coal_PV", "PH_Fan_Speed_PV", "Secondary_Air_Temperature", "combined_Feed_rate", "predicted_Burning_zone_temperature" },
            names.Order(StringComparer.Ordinal));
    }
}
