using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Strategies;

/// <summary>Issue 13: a model's lag and offset decide how far back a cycle reads; 1e300 overflowed, and is refused.</summary>
public class HistoryLimitTests
{
    [Theory]
    [InlineData("10079", "1", false)]
    [InlineData("10080", "1", true)]
    [InlineData("0", "10081", true)]
    [InlineData("1e300", "1", true)]
    public void Read_LagAndOffsetAtAndPastTheLimit_AreAnErrorOnlyPastIt(string lag, string offset, bool refused)
    {
        var yaml = $"""
            variables:
              x:
                type: Operative
                max_hard_limit: 10
              y:
                type: CalculatedKPI
            skills:
              model:
                class: InferenceModel
                inputs: [x]
                outputs: [y]
                config:
                  model_path: models/m.onnx
                  feature_engineering:
                    lag_offset:
                      x: {"{"}lag: {lag}, offset: {offset}{"}"}
            tasks:
              - name: CalculateRecommendations
                skill_sequence: [model]
            """;

        var (_, problems) = StrategyLoader.Read(yaml);

        var past = problems.Where(p => p.Message.Contains($"rows; the limit is {StrategyLimits.MaxHistoryRows}", StringComparison.Ordinal)).ToList();
        Assert.Equal(refused ? 1 : 0, past.Count);
        Assert.All(past, p => Assert.Equal(16, p.Location?.Line));
    }
}
