using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>A named skill of a strategy, with the inputs and outputs it declares.</summary>
public abstract record Skill(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location)
{
    /// <summary>The seed's class name, such as <c>MathFunction</c>.</summary>
    public abstract string ClassName { get; }
}

/// <summary>Evaluates a formula into the dof value of its first output.</summary>
/// <param name="RowSum">The seed's <c>dataframe_formula: {method: sum, axis: 1}</c>: also fill the output's history column with the row-wise sum of the inputs.</param>
public sealed record MathFunctionSkill(
    string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location,
    string Formula, SourceLocation FormulaLocation, bool RowSum)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "MathFunction";
}

/// <summary>Runs a machine-learning model; see <see cref="FeatureEngineering"/> for how inputs are formed.</summary>
public sealed record InferenceModelSkill(
    string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location,
    string ModelPath, string ScalerPath, string? MetadataPath, string? ModelType, FeatureEngineering FeatureEngineering)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "InferenceModel";
}

/// <summary>Runs other skills in order.</summary>
public sealed record CompositionSkill(
    string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location,
    IReadOnlyList<string> SkillSequence)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "CompositionSkill";
}

/// <summary>Sets each input's move window from its threshold and hard limits.</summary>
public sealed record BoundsSkill(string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "Bounds";
}

/// <summary>Declares <c>op_min ≤ value ≤ op_max</c> constraints on computed variables.</summary>
public sealed record ConstraintsSkill(
    string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location,
    IReadOnlyList<ConstraintTemplate> Template)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "Constraints";
}

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

/// <summary>One constraint: <c>OpMin ≤ PredictedVariable ≤ OpMax</c>; equal limits make an equality.</summary>
public sealed record ConstraintTemplate(string PredictedVariable, double OpMin, double OpMax, SourceLocation Location);
