using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Strategies;

/// <summary>Each broken strategy must name the problem and the YAML line it is on.</summary>
public class StrategyValidationTests
{
    // Line numbers in the tests below refer to this text, one-based.
    private const string Valid = """
        variables:
          x:
            type: Operative
            threshold: 1
            min_hard_limit: 0
            max_hard_limit: 10
          y:
            type: Informative
          cost:
            type: CalculatedKPI
        weights:
          w: 2.0
        skills:
          mf_cost:
            class: MathFunction
            inputs: [x, y]
            outputs: [cost]
            config:
              formula: w * (x_dof - y_current) ** 2
          cs_cost:
            class: CompositionSkill
            config:
              skill_sequence: [mf_cost]
          bounds:
            class: Bounds
            inputs: [x]
          optimizer:
            class: OptimizationSkill
            inputs: [x]
            config:
              cost_skill_name: cs_cost
              cost_feature_name: cost
        tasks:
          - name: CalculateRecommendations
            skill_sequence: [bounds, optimizer]
        """;

    [Fact]
    public void Read_ValidStrategy_HasNoProblems()
    {
        var (strategy, problems) = StrategyLoader.Read(Valid);
        Assert.NotNull(strategy);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("class: MathFunction\n    inputs: [x, y]", "class: MathFunctoin\n    inputs: [x, y]", "skill 'mf_cost': unknown skill class 'MathFunctoin'", 15)]
    [InlineData("inputs: [x, y]", "inputs: [x, yy]", "skill 'mf_cost': unknown variable 'yy' in inputs", 16)]
    [InlineData("outputs: [cost]", "outputs: [costs]", "skill 'mf_cost': unknown variable 'costs' in outputs", 17)]
    [InlineData("formula: w * (x_dof - y_current) ** 2", "formula: w * (x_dof - y_current) ** * 2", "formula syntax error: unexpected '*' at column 28", 19)]
    [InlineData("formula: w * (x_dof - y_current) ** 2", "formula: w * (x_dof - z_current) ** 2", "undefined symbol 'z_current' at column 14", 19)]
    [InlineData("formula: w * (x_dof - y_current) ** 2", "formula: w * (x_dof - cost_current) ** 2", "'cost_current' at column 14 refers to variable 'cost', which is not an input of this skill", 19)]
    [InlineData("skill_sequence: [mf_cost]", "skill_sequence: [mf_cost, mf_missing]", "skill 'cs_cost': unknown skill 'mf_missing' in skill_sequence", 23)]
    [InlineData("skill_sequence: [bounds, optimizer]", "skill_sequence: [bounds, optimiser]", "task 'CalculateRecommendations': unknown skill 'optimiser' in skill_sequence", 35)]
    [InlineData("inputs: [x]\n    config:\n      cost_skill_name", "inputs: [y]\n    config:\n      cost_skill_name", "skill 'optimizer': input 'y' is Informative, but only Operative and Calculated variables can be optimized", 29)]
    [InlineData("cost_feature_name: cost", "cost_feature_name: costs", "skill 'optimizer': unknown variable 'costs' in cost_feature_name", 32)]
    [InlineData("cost_skill_name: cs_cost", "cost_skill_name: cs_costs", "skill 'optimizer': unknown skill 'cs_costs' in cost_skill_name", 31)]
    [InlineData("      cost_feature_name: cost\n", "", "skill 'optimizer': missing required key 'cost_feature_name'", 31)]
    [InlineData("      formula: w * (x_dof - y_current) ** 2\n", "      other: 1\n", "skill 'mf_cost': missing required key 'formula'", 19)]
    [InlineData("min_hard_limit: 0", "min_hard_limit: 11", "variable 'x': min_hard_limit 11 is greater than max_hard_limit 10", 5)]
    [InlineData("  y:\n    type: Informative", "  y:\n    type: Informative\n    type: Operative", "duplicate key 'type'", 9)]
    [InlineData("  w: 2.0", "  w: 2.0\n  w: 3.0", "duplicate key 'w'", 13)]
    [InlineData("type: Informative", "type: Informational", "variable 'y': unknown type 'Informational'", 8)]
    [InlineData("  w: 2.0", "  w: heavy", "weight 'w' must be a number", 12)]
    [InlineData("      cost_feature_name: cost", "      cost_feature_name: cost\n      solver_options:\n        mu_stratgy: adaptive", "solver_options: 'mu_stratgy' is not allowed", 34)]
    public void Read_BrokenStrategy_ReportsProblemAndLine(string find, string replace, string message, int line)
    {
        Assert.Contains(find, Valid);
        var (strategy, problems) = StrategyLoader.Read(Valid.Replace(find, replace, StringComparison.Ordinal), FakeOptionCheck);

        Assert.Null(strategy);
        var matching = problems.Where(p => !p.IsWarning && p.Message.Contains(message, StringComparison.Ordinal)).ToList();
        Assert.True(matching.Count == 1, $"expected one '{message}' among:\n{string.Join("\n", problems)}");
        Assert.Equal(line, matching[0].Location?.Line);
    }

    [Fact]
    public void Read_CompositionCycle_NamesTheCycle()
    {
        var text = Valid.Replace("skill_sequence: [mf_cost]", "skill_sequence: [mf_cost, cs_inner]\n  cs_inner:\n    class: CompositionSkill\n    config:\n      skill_sequence: [cs_cost]", StringComparison.Ordinal);

        var (_, problems) = StrategyLoader.Read(text);

        var problem = Assert.Single(problems, p => p.Message.Contains("composition cycle", StringComparison.Ordinal));
        Assert.Contains("cs_cost -> cs_inner -> cs_cost", problem.Message);
        Assert.Equal(27, problem.Location?.Line);
    }

    [Fact]
    public void Read_UnknownVariableInConstraintTemplate_NamesItAndItsLine()
    {
        var text = Valid.Replace("  optimizer:\n", "  constraints:\n    class: Constraints\n    config:\n      template:\n        - {predicted_var: tempreature, op_min: 0, op_max: 1}\n  optimizer:\n", StringComparison.Ordinal);

        var (strategy, problems) = StrategyLoader.Read(text);

        Assert.Null(strategy);
        var problem = Assert.Single(problems, p => !p.IsWarning);
        Assert.Equal("skill 'constraints': unknown variable 'tempreature' in template", problem.Message);
        Assert.Equal(31, problem.Location?.Line);
    }

    [Fact]
    public void Read_ManyProblems_ReportsAllOfThemAtOnce()
    {
        var text = Valid
            // Also makes y_current undefined in the formula: four problems from three edits.
            .Replace("inputs: [x, y]", "inputs: [x, yy]", StringComparison.Ordinal)
            .Replace("min_hard_limit: 0", "min_hard_limit: 11", StringComparison.Ordinal)
            .Replace("cost_feature_name: cost", "cost_feature_name: costs", StringComparison.Ordinal);

        var (_, problems) = StrategyLoader.Read(text);

        Assert.True(problems.Count(p => !p.IsWarning) == 4, string.Join("\n", problems));
    }

    [Fact]
    public void Read_MalformedYaml_ReportsLine()
    {
        var (_, problems) = StrategyLoader.Read(Valid.Replace("  y:\n", "  y:\n  - broken\n", StringComparison.Ordinal));

        var problem = Assert.Single(problems);
        Assert.StartsWith("malformed YAML", problem.Message);
        Assert.Equal(9, problem.Location?.Line);
    }

    [Fact]
    public void Read_ThresholdOfZeroInFormula_IsAWarningNotAnError()
    {
        var (strategy, problems) = StrategyLoader.Read(Valid.Replace("w * (x_dof - y_current) ** 2", "w * (x_dof - y_current) ** 2 + y_threshold", StringComparison.Ordinal));

        Assert.NotNull(strategy);
        var note = Assert.Single(problems);
        Assert.True(note.IsWarning);
        Assert.Contains("'y_threshold' at column 32 is 0 (the threshold of 'y')", note.Message);
        Assert.Equal(19, note.Location?.Line);
    }

    [Fact]
    public void Read_ScipyAlgorithm_IsAcceptedWithOneNote()
    {
        var text = Valid.Replace("cost_feature_name: cost", "cost_feature_name: cost\n      algorithm: SLSQP", StringComparison.Ordinal);

        var (strategy, problems) = StrategyLoader.Read(text);

        Assert.NotNull(strategy);
        var note = Assert.Single(problems);
        Assert.True(note.IsWarning);
        Assert.Contains("'SLSQP' is solved with IPOPT", note.Message);
    }

    [Fact]
    public void Read_FormulaPastTheDepthLimit_NamesSkillColumnAndLineAndEchoesItShort()
    {
        // Issue 13: 15,000 terms used to overflow the stack; now the chain is refused, and its echo is cut short.
        var chain = string.Join(" + ", Enumerable.Repeat("x_dof", 1_000));
        var (strategy, problems) = StrategyLoader.Read(Valid.Replace("w * (x_dof - y_current) ** 2", chain, StringComparison.Ordinal));

        Assert.Null(strategy);
        var problem = Assert.Single(problems);
        Assert.StartsWith("skill 'mf_cost': formula syntax error: formula is nested more than 100 levels deep", problem.Message);
        Assert.Contains("at column 7201", problem.Message);
        Assert.Equal(19, problem.Location?.Line);
        Assert.True(problem.Message.Length < 400, problem.Message);
    }

    private static string? FakeOptionCheck(string name, object value) =>
        name == "mu_strategy" ? null : $"'{name}' is not a known option";
}
