using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Strategies;

/// <summary>Issue 13: names and units are stored with every run, so their length is limited where they are read.</summary>
public class NameLengthLimitTests
{
    [Theory]
    [InlineData(StrategyLimits.MaxNameLength, StrategyLimits.MaxNameLength, StrategyLimits.MaxNameLength, 0)]
    [InlineData(StrategyLimits.MaxNameLength + 1, 1, 1, 1)]
    [InlineData(1, StrategyLimits.MaxNameLength + 1, 1, 1)]
    [InlineData(1, 1, StrategyLimits.MaxNameLength + 1, 1)]
    [InlineData(1_000, 1_000, 1_000, 3)]
    public void Read_NamesAndUnitsAtAndPastTheLimit_AreAnErrorOnlyPastIt(int variable, int units, int skill, int errors)
    {
        var (v, u, s) = (new string('v', variable), new string('u', units), new string('s', skill));
        var yaml = $"""
            variables:
              {v}:
                type: Operative
                units: {u}
                max_hard_limit: 10
              cost:
                type: CalculatedKPI
            skills:
              {s}:
                class: MathFunction
                inputs: [{v}]
                outputs: [cost]
                config:
                  formula: ({v}_dof - 3) ** 2
              optimizer:
                class: OptimizationSkill
                inputs: [{v}]
                config:
                  cost_skill_name: {s}
                  cost_feature_name: cost
            tasks:
              - name: CalculateRecommendations
                skill_sequence: [optimizer]
            """;

        var (_, problems) = StrategyLoader.Read(yaml, limits: StrategyLimits.Inline);

        var tooLong = problems.Where(p => p.Message.Contains($"characters long; the limit is {StrategyLimits.MaxNameLength}", StringComparison.Ordinal)).ToList();
        Assert.True(errors == tooLong.Count, string.Join(" | ", problems.Select(p => p.Message.Length > 300 ? p.Message[..300] : p.Message)));
        Assert.All(tooLong, p => Assert.NotNull(p.Location));
    }
}
