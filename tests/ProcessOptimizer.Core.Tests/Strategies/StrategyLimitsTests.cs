using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Strategies;

/// <summary>Issue 13: a strategy's size is checked while it is read, at the limit and one past it.</summary>
public class StrategyLimitsTests
{
    private static readonly StrategyLimits Small = new() { MaxVariables = 6, MaxSkills = 3, MaxDecisionVariables = 2, MaxConstraints = 2 };

    [Fact]
    public void Read_AtEveryLimit_Loads()
    {
        var (strategy, problems) = StrategyLoader.Read(Strategy(decisions: 2, constraints: 2), limits: Small);

        Assert.True(strategy is not null, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(true, 0, 2, 2, "the strategy has 7 entries under 'variables'; the limit is 6 (MaxVariables)", 2)]
    [InlineData(false, 1, 2, 2, "the strategy has 4 entries under 'skills'; the limit is 3 (MaxSkills)", 9)]
    [InlineData(false, 0, 3, 2, "the strategy has 3 decision variables (inputs of OptimizationSkills); the limit is 2 (MaxDecisionVariables)", 16)]
    [InlineData(false, 0, 2, 3, "the strategy has 3 constraints (template rows); the limit is 2 (MaxConstraints)", 10)]
    public void Read_OnePastALimit_IsOneErrorAndNothingElseIsChecked(bool extraVariable, int extraSkills, int decisions, int constraints, string message, int line)
    {
        var (strategy, problems) = StrategyLoader.Read(Strategy(decisions, constraints, extraSkills, extraVariable), limits: Small);

        Assert.Null(strategy);
        var problem = Assert.Single(problems);
        Assert.Equal(message, problem.Message);
        Assert.Equal(line, problem.Location?.Line);
    }

    [Fact]
    public void Read_FormulasPastTheCompiledNodeBudget_IsAnErrorNamingTheBudget()
    {
        var text = Strategy(decisions: 2, constraints: 2);
        var needed = Enumerable.Range(1, 100).First(n => StrategyLoader.Read(text, limits: Small with { MaxCompiledNodes = n }).Strategy is not null);

        var (strategy, problems) = StrategyLoader.Read(text, limits: Small with { MaxCompiledNodes = needed - 1 });

        // d1 + d2: three nodes, two first derivatives and three second ones at the least.
        Assert.InRange(needed, 8, 100);
        Assert.Null(strategy);
        var problem = Assert.Single(problems, p => !p.IsWarning);
        Assert.Contains($"the limit is {needed - 1} (what is left of the strategy's MaxCompiledNodes)", problem.Message);
    }

    [Fact]
    public void Inline_IsStricterThanStored()
    {
        var stored = new StrategyLimits();

        Assert.True(StrategyLimits.Inline.MaxDecisionVariables < stored.MaxDecisionVariables);
        Assert.True(StrategyLimits.Inline.MaxVariables < stored.MaxVariables);
    }

    // Three possible decisions, a cost, a constrained output and an informative tag: six variables, three skills.
    private static string Strategy(int decisions, int constraints, int extraSkills = 0, bool extraVariable = false)
    {
        var inputs = string.Join(", ", Enumerable.Range(1, decisions).Select(i => $"d{i}"));
        var rows = string.Concat(Enumerable.Range(0, constraints).Select(_ => "\n        - {predicted_var: out, op_min: 0, op_max: 10}"));
        var extra = string.Concat(Enumerable.Range(0, extraSkills).Select(i => $"\n  bounds{i}: {{class: Bounds, inputs: [d1]}}"));
        var extraVariableLine = extraVariable ? "\n  extra: {type: Informative}" : "";
        var formula = string.Join(" + ", inputs.Split(", "));
        return "variables:\n"
            + "  d1: {type: Operative}\n  d2: {type: Operative}\n  d3: {type: Operative}\n"
            + "  cost: {type: CalculatedKPI}\n  out: {type: Calculated}\n  info: {type: Informative}" + extraVariableLine + "\n"
            + "skills:\n"
            + $"  cost_fn: {{class: MathFunction, inputs: [{inputs}], outputs: [cost], config: {{formula: {formula}}}}}\n"
            + "  limits:\n    class: Constraints\n    config:\n      template:" + rows + "\n"
            + $"  optimizer: {{class: OptimizationSkill, inputs: [{inputs}], config: {{cost_skill_name: cost_fn, cost_feature_name: cost}}}}" + extra + "\n"
            + "tasks:\n  - {name: CalculateRecommendations, skill_sequence: [limits, optimizer]}\n";
    }
}
