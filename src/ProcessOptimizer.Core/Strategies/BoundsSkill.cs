using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Sets each input's move window from its threshold and hard limits.</summary>
public sealed record BoundsSkill(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "Bounds";
}
