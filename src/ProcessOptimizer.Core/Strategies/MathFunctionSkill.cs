using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Evaluates a formula into the dof value of its first output.</summary>
/// <param name="RowSum">The seed's <c>dataframe_formula: {method: sum, axis: 1}</c>: also fill the output's history column with the row-wise sum of the inputs.</param>
public sealed record MathFunctionSkill(
    string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location,
    string Formula, SourceLocation FormulaLocation, bool RowSum)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "MathFunction";
}
