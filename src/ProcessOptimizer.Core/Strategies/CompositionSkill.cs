using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Runs other skills in order.</summary>
public sealed record CompositionSkill(
    string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location,
    IReadOnlyList<string> SkillSequence)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "CompositionSkill";
}
