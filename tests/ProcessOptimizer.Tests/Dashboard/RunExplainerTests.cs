using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Dashboard;

namespace ProcessOptimizer.Tests.Dashboard;

public class RunExplainerTests
{
    private static readonly Core.Strategies.Strategy Kiln = KilnDefinition.Strategy;

    private static Recommendation Value(string name, double current, double recommended) => new(name, current, recommended, recommended - current, "");

    [Fact]
    public void Decision_RecommendationOnTheMoveWindow_FlagsTheMoveLimit()
    {
        var row = RunExplainer.Decision(Value("Kiln_Coal_PV", 11.38, 11.33), Kiln.Variables["Kiln_Coal_PV"]);

        Assert.Equal(11.33, row.MoveLow, 12);
        Assert.Equal(11.43, row.MoveHigh, 12);
        Assert.Equal((8.0, 16.0), (row.HardLow, row.HardHigh));
        Assert.Equal("move-low", row.AtLimit);
    }

    [Fact]
    public void Decision_WindowCutByTheHardLimit_FlagsTheHardLimit()
    {
        var row = RunExplainer.Decision(Value("Kiln_Coal_PV", 15.98, 16.0), Kiln.Variables["Kiln_Coal_PV"]);

        Assert.Equal(16.0, row.MoveHigh);
        Assert.Equal("hard-high", row.AtLimit);
    }

    [Fact]
    public void Decision_InsideTheWindow_HasNoFlag() =>
        Assert.Null(RunExplainer.Decision(Value("Kiln_Coal_PV", 11.38, 11.37), Kiln.Variables["Kiln_Coal_PV"]).AtLimit);

    [Theory]
    [InlineData(1420, "within")]
    [InlineData(1475, "near")]
    [InlineData(1385, "near")]
    [InlineData(1480.0000001, "near")]
    [InlineData(1481, "violated")]
    [InlineData(1370, "violated")]
    public void Constraint_ValueAgainstTheBand_IsWithinNearOrViolated(double predicted, string state)
    {
        var template = Kiln.SkillsOf<Core.Strategies.ConstraintsSkill>().Single().Template.Single();

        var row = RunExplainer.Constraint(Value("predicted_Burning_zone_temperature", 1400, predicted), template);

        Assert.Equal(state, row.State);
        Assert.Equal((1380.0, 1480.0), (row.OpMin!.Value, row.OpMax!.Value));
    }

    [Fact]
    public void Explain_KilnRun_HasEveryDecisionVariableTheConstraintAndEachWarning()
    {
        var run = new RunRecord
        {
            Id = 7, StrategyName = "process-optimization", StrategyVersion = "1.0.0", StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch.AddSeconds(2),
            Outcome = RunOutcome.Success, Message = "first warning; second warning",
            Recommendations = [Value("Kiln_Coal_PV", 11, 10.95), Value("PH_Fan_Speed_PV", 790, 790.5), Value("Secondary_Air_Temperature", 980, 980), Value("combined_Feed_rate", 260, 261), Value("predicted_Burning_zone_temperature", 1400, 1420), Value("Burning_zone_temperature", 1400, 1400)],
        };

        var explained = RunExplainer.Explain(run, Kiln, null);

        Assert.Equal(new[] { "Kiln_Coal_PV", "PH_Fan_Speed_PV", "Secondary_Air_Temperature", "combined_Feed_rate" }, explained.Decisions.Select(d => d.Variable).Order(StringComparer.Ordinal));
        Assert.Equal(0.5, explained.Decisions.Single(d => d.Variable == "PH_Fan_Speed_PV").Move);
        Assert.Equal("predicted_Burning_zone_temperature", explained.Constraints.Single().Variable);
        Assert.Equal(["first warning", "second warning"], explained.Warnings);
        Assert.Equal(2000, explained.DurationMs);
    }

    [Fact]
    public void Explain_WarningContainingTheSeparator_StaysOneWarning()
    {
        var run = new RunRecord
        {
            Id = 8, StrategyName = "process-optimization", StrategyVersion = "1.0.0", StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch,
            Outcome = RunOutcome.Success,
        }.Saying(["Kiln_Coal_PV: 3 non-finite values; first at 10:02", "second warning"]);

        var explained = RunExplainer.Explain(run, Kiln, null);

        Assert.Equal(["Kiln_Coal_PV: 3 non-finite values; first at 10:02", "second warning"], explained.Warnings);
    }

    [Fact]
    public void Explain_UnreadableVersion_KeepsTheRunAndSaysWhy()
    {
        var run = new RunRecord { StrategyName = "s", StrategyVersion = "9.9", StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch, Outcome = RunOutcome.Error, Recommendations = [Value("a", 1, 1)] };

        var explained = RunExplainer.Explain(run, null, "version 9.9 is not in the store");

        Assert.Empty(explained.Decisions);
        Assert.Equal("version 9.9 is not in the store", explained.Note);
        Assert.Equal("error", explained.Outcome);
    }
}
