using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Minimises a cost feature over its inputs, within the Bounds and subject to the Constraints.</summary>
/// <param name="Algorithm">The seed's SciPy algorithm name; every algorithm is solved with IPOPT.</param>
/// <param name="SolverOptions">IPOPT options for this strategy, validated against IPOPT at load.</param>
public sealed record OptimizationSkill(
    string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location,
    string CostSkillName, string CostFeatureName, string? Algorithm, IReadOnlyDictionary<string, object> SolverOptions)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "OptimizationSkill";
}
