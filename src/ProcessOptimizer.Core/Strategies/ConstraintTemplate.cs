using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>One constraint: <c>OpMin ≤ PredictedVariable ≤ OpMax</c>; equal limits make an equality.</summary>
public sealed record ConstraintTemplate(string PredictedVariable, double OpMin, double OpMax, SourceLocation Location);
