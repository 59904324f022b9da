using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Strategies;

/// <summary>
/// Issue 13: a composition listing another one twice, forty levels deep, is a 5 KB strategy that runs 2^40 steps. Its
/// expansion took memory without end while the strategy was checked, and time without end in a cycle, outside the
/// solver's callbacks where no deadline reaches it. What a task or a cost skill runs, compositions expanded, is limited.
/// </summary>
public class ExpandedStepsLimitTests
{
    private static readonly StrategyLimits Limits = new() { MaxSteps = 100 };

    [Fact]
    public void Read_CostSkillOfExactlyTheLimit_HasNoProblems()
    {
        var (strategy, problems) = StrategyLoader.Read(Strategy(fan: 10, levels: 3, extra: 0, costSkill: "cs0"), limits: Limits);

        Assert.NotNull(strategy);
        Assert.Empty(problems);
    }

    [Fact]
    public void Read_CostSkillOneStepPastTheLimit_IsAnErrorOnItsLine()
    {
        var yaml = Strategy(fan: 10, levels: 3, extra: 1, costSkill: "cs0");

        var (strategy, problems) = StrategyLoader.Read(yaml, limits: Limits);

        Assert.Null(strategy);
        var problem = Assert.Single(problems);
        Assert.Equal("skill 'optimizer': cost skill 'cs0' runs more than 100 steps once its compositions are expanded; the limit is 100 (MaxSteps)", problem.Message);
        Assert.Equal(LineOf(yaml, "cost_skill_name: cs0"), problem.Location?.Line);
    }

    [Fact]
    public void Read_TaskOneStepPastTheLimit_IsAnErrorOnItsLine()
    {
        var yaml = Strategy(fan: 10, levels: 3, extra: 0, costSkill: "mf_cost", task: "cs0, mf_cost");

        var (strategy, problems) = StrategyLoader.Read(yaml, limits: Limits);

        Assert.Null(strategy);
        var problem = Assert.Single(problems);
        Assert.Equal("task 'CalculateRecommendations': the tasks up to this one run more than 100 steps once their compositions are expanded; the limit is 100 (MaxSteps)", problem.Message);
        Assert.Equal(LineOf(yaml, "- name: CalculateRecommendations"), problem.Location?.Line);
    }

    [Theory]
    [InlineData(10, 0)]
    [InlineData(11, 1)]
    public void Read_OptimizerListedInTheTaskAtAndPastTheInlineLimit_IsAnErrorOnlyPastIt(int times, int errors)
    {
        // Each optimization after the deadline still sets up a solve; 40,000 of them held a solver for minutes.
        var yaml = Strategy(fan: 1, levels: 1, extra: 0, costSkill: "mf_cost").Replace("skill_sequence: [bounds, optimizer]", $"skill_sequence: [bounds, {string.Join(", ", Enumerable.Repeat("optimizer", times))}]", StringComparison.Ordinal);

        var (_, problems) = StrategyLoader.Read(yaml, limits: StrategyLimits.Inline);

        Assert.Equal(errors, problems.Count(p => p.Message.Contains("run more than 10 optimizations once their compositions are expanded; the limit is 10 (MaxOptimizations)", StringComparison.Ordinal)));
        Assert.Equal(errors, problems.Count);
    }

    [Theory]
    [InlineData("cs0", "")]
    [InlineData("mf_cost", "cs0")]
    public void Read_TwoToTheFortySteps_IsRefusedWithTheInlineLimits(string costSkill, string task)
    {
        var (strategy, problems) = StrategyLoader.Read(Strategy(fan: 2, levels: 40, extra: 0, costSkill, task), limits: StrategyLimits.Inline);

        Assert.Null(strategy);
        Assert.Contains(problems, p => p.Message.Contains($"more than {StrategyLimits.Inline.MaxSteps} steps", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_CompositionCycle_IsStillNamedAsACycle()
    {
        var yaml = Strategy(fan: 1, levels: 2, extra: 0, costSkill: "cs0").Replace("skill_sequence: [mf_cost]", "skill_sequence: [cs0]", StringComparison.Ordinal);

        var (_, problems) = StrategyLoader.Read(yaml, limits: Limits);

        Assert.Contains(problems, p => p.Message.Contains("composition cycle cs0 -> cs1 -> cs0", StringComparison.Ordinal));
    }

    // cs0 lists cs1 `fan` times, and so on; the last lists mf_cost once. cs0 also lists mf_cost `extra` times.
    private static string Strategy(int fan, int levels, int extra, string costSkill, string task = "")
    {
        var compositions = string.Concat(Enumerable.Range(0, levels).Select(i =>
        {
            var sequence = i == levels - 1 ? ["mf_cost"] : Enumerable.Repeat($"cs{i + 1}", fan).Concat(Enumerable.Repeat("mf_cost", i == 0 ? extra : 0));
            return $"""
                  cs{i}:
                    class: CompositionSkill
                    config:
                      skill_sequence: [{string.Join(", ", sequence)}]

                """;
        }));
        var steps = task.Length == 0 ? "bounds, optimizer" : $"bounds, optimizer, {task}";
        return $"""
            variables:
              x:
                type: Operative
                threshold: 1
                min_hard_limit: 0
                max_hard_limit: 10
              cost:
                type: CalculatedKPI
            skills:
              mf_cost:
                class: MathFunction
                inputs: [x]
                outputs: [cost]
                config:
                  formula: (x_dof - 3) ** 2
            {compositions}  bounds:
                class: Bounds
                inputs: [x]
              optimizer:
                class: OptimizationSkill
                inputs: [x]
                config:
                  cost_skill_name: {costSkill}
                  cost_feature_name: cost
            tasks:
              - name: CalculateRecommendations
                skill_sequence: [{steps}]
            """;
    }

    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(text, StringComparison.Ordinal)).i + 1;
}
