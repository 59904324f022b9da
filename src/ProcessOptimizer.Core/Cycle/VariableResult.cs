using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>One variable in a result.</summary>
/// <param name="Category">The seed's category: optimizable, predicted, constraint, operative, informative or calculated.</param>
/// <param name="Current">The value at the operating point (the seed's <c>user_input_value</c>).</param>
/// <param name="Recommended">The value at the recommendation (<c>optimizer_suggested_value</c>); equal to
/// <paramref name="Current"/> for everything the optimizer does not move or compute.</param>
public sealed record VariableResult(string Name, VariableType Type, string Units, string Category, double Current, double Recommended)
{
    public double Delta => Recommended - Current;
}
