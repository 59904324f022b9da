using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>One variable in a result.</summary>
/// <remarks>
/// A value: what does not change from cycle to cycle (name, type, units, category) is one description kept with the
/// compiled strategy, so a result's variables are one array and no object per variable.
/// </remarks>
public readonly record struct VariableResult
{
    private readonly VariableDescription _description;

    /// <param name="Category">The seed's category: optimizable, predicted, constraint, operative, informative or calculated.</param>
    /// <param name="Current">The value at the operating point (the seed's <c>user_input_value</c>).</param>
    /// <param name="Recommended">The value at the recommendation (<c>optimizer_suggested_value</c>); equal to
    /// <paramref name="Current"/> for everything the optimizer does not move or compute.</param>
    public VariableResult(string Name, VariableType Type, string Units, string Category, double Current, double Recommended)
        : this(new VariableDescription(Name, Type, Units, Category), Current, Recommended)
    {
    }

    internal VariableResult(VariableDescription description, double current, double recommended)
    {
        _description = description;
        Current = current;
        Recommended = recommended;
    }

    public string Name => _description.Name;

    public VariableType Type => _description.Type;

    public string Units => _description.Units;

    public string Category => _description.Category;

    public double Current { get; }

    public double Recommended { get; }

    public double Delta => Recommended - Current;
}
