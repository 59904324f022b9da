namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// How a result's variables lie in its one array of values: each variable's description, and where its recommended
/// value is when it may differ from the current one (a decision, or an output of an optimizer's steps); every other
/// variable's recommended value is its current one and takes no room. The same for every cycle of a compiled strategy
/// that gets as far as its result, so it is worked out once and kept with the strategy.
/// </summary>
/// <remarks>Immutable: results of any number of cycles share one layout.</remarks>
internal sealed class VariableLayout
{
    private VariableLayout(VariableDescription[] descriptions, int[] recommended, int length)
    {
        Descriptions = descriptions;
        Recommended = recommended;
        Length = length;
    }

    /// <summary>Per variable, its description in a result.</summary>
    public VariableDescription[] Descriptions { get; }

    /// <summary>Per variable, the index of its recommended value among the values, or -1 when it is the current one.</summary>
    public int[] Recommended { get; }

    /// <summary>How many values a result holds: one per variable, then one per variable that has a recommended value of its own.</summary>
    public int Length { get; }

    /// <summary>The layout kept with <paramref name="strategy"/> when it fits <paramref name="optimizations"/>, else a new one, kept in its place.</summary>
    public static VariableLayout For(CompiledStrategy strategy, IReadOnlyList<OptimizationOutcome> optimizations)
    {
        if (strategy.ResultLayout is { } kept && kept.Fits(strategy, optimizations))
        {
            return kept;
        }

        var made = Of(strategy, optimizations);
        strategy.ResultLayout = made;
        return made;
    }

    private bool Fits(CompiledStrategy strategy, IReadOnlyList<OptimizationOutcome> optimizations)
    {
        for (var v = 0; v < Descriptions.Length; v++)
        {
            var (description, ownRecommended) = Of(strategy, optimizations, v);
            if (!ReferenceEquals(Descriptions[v], description) || Recommended[v] >= 0 != ownRecommended)
            {
                return false;
            }
        }

        return true;
    }

    private static VariableLayout Of(CompiledStrategy strategy, IReadOnlyList<OptimizationOutcome> optimizations)
    {
        var count = strategy.Variables.Count;
        var (descriptions, recommended, length) = (new VariableDescription[count], new int[count], count);
        for (var v = 0; v < count; v++)
        {
            var (description, ownRecommended) = Of(strategy, optimizations, v);
            descriptions[v] = description;
            recommended[v] = ownRecommended ? length++ : -1;
        }

        return new VariableLayout(descriptions, recommended, length);
    }

    private static (VariableDescription Description, bool OwnRecommended) Of(CompiledStrategy strategy, IReadOnlyList<OptimizationOutcome> optimizations, int variable)
    {
        var isDecision = ResultBuilder.IsDecision(optimizations, variable);
        var (other, decision) = strategy.ResultDescriptions[variable];
        return (isDecision ? decision : other, isDecision || ResultBuilder.IsOutput(optimizations, variable));
    }
}
