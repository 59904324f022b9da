using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>A strategy variable. Missing limits take the seed's defaults: min 0, max 1000, threshold 0.</summary>
public sealed record Variable(
    string Name,
    VariableType Type,
    string Units,
    double Threshold,
    double MinHardLimit,
    double MaxHardLimit,
    SourceLocation Location)
{
    /// <summary>Operative and Calculated variables may be decision variables.</summary>
    public bool IsOptimizable => Type is VariableType.Operative or VariableType.Calculated;
}
