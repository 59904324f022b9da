namespace ProcessOptimizer.Results;

/// <summary>The seed's summary counts; <c>optimization_impact</c> is the cost at current minus the cost at the recommendation.</summary>
public sealed record Summary(
    int TotalVariables,
    int TotalVariablesWithOptimizerChanges,
    int TotalOptimizableVariablesChanged,
    int TotalPredictedVariables,
    int TotalConstraints,
    double? OptimizationImpact);
