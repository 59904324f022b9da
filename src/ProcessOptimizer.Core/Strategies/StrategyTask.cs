using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>A task: skills run in order. The task named <see cref="PreCalculateName"/> is special.</summary>
public sealed record StrategyTask(string Name, IReadOnlyList<string> SkillSequence, SourceLocation Location)
{
    /// <summary>After this task each Calculated variable takes current = dof = its computed value.</summary>
    public const string PreCalculateName = "PreCalculateVariables";
}
