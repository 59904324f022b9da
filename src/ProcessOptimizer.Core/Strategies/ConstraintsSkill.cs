using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Declares <c>op_min ≤ value ≤ op_max</c> constraints on computed variables.</summary>
public sealed record ConstraintsSkill(
    string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location,
    IReadOnlyList<ConstraintTemplate> Template)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "Constraints";
}
