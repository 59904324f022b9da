using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Strategies;

/// <summary>A strategy in one line, as <c>validate</c> prints it and the strategy API returns it.</summary>
public static class StrategyDescription
{
    /// <param name="label">What is described: the file's path, or the version.</param>
    public static string Summary(string label, Strategy strategy)
    {
        var types = strategy.Variables.Values.GroupBy(v => v.Type).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
        var classes = strategy.Skills.Values.GroupBy(s => s.ClassName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        var decisions = strategy.SkillsOf<OptimizationSkill>().SelectMany(o => o.Inputs).Distinct().Count();
        var constraints = strategy.SkillsOf<ConstraintsSkill>().Sum(c => c.Template.Count);
        return $"{label} is valid: {strategy.Variables.Count} variables ({string.Join(", ", types)}); "
            + $"{strategy.Skills.Count} skills ({string.Join(", ", classes)}); "
            + $"{strategy.Tasks.Count} tasks ({string.Join(", ", strategy.Tasks.Select(t => t.Name))}); "
            + $"{decisions} decision variables and {constraints} constraints.";
    }
}
