using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Runs a machine-learning model; see <see cref="FeatureEngineering"/> for how inputs are formed.</summary>
public sealed record InferenceModelSkill(
    string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, SourceLocation Location,
    string ModelPath, string ScalerPath, string? MetadataPath, string? ModelType, FeatureEngineering FeatureEngineering)
    : Skill(Name, Inputs, Outputs, Location)
{
    public override string ClassName => "InferenceModel";

    /// <summary>The store keys the model is built from: the model, its scalers and, when named, its metadata.</summary>
    public IEnumerable<string> ArtifactKeys => MetadataPath is null ? [ModelPath, ScalerPath] : [ModelPath, ScalerPath, MetadataPath];
}
