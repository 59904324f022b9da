namespace ProcessOptimizer.Backtests;

/// <summary>
/// The cost at the recommendation against the cost at what the operators did (the decision variables at the next step),
/// both through the strategy's own model: a model-based estimate, not a measured result.
/// </summary>
/// <param name="Saving">Mean of (cost at the operators' values − cost at the recommendation): positive when following would have cost less, by the model.</param>
public sealed record IfFollowed(string Label, int Steps, double? MeanCostRecommended, double? MeanCostOperators, double? Saving)
{
    public const string EstimateLabel = "model-based estimate: both costs are computed by the strategy's own model, not measured";
}
