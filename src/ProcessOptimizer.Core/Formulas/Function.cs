namespace ProcessOptimizer.Core.Formulas;

/// <summary>A built-in function of the formula language.</summary>
public sealed record Function(string Name, int MinArguments, int MaxArguments)
{
    /// <summary>The arity in words, for error messages.</summary>
    public string ArityText => MinArguments == MaxArguments
        ? $"{MinArguments} argument{(MinArguments == 1 ? "" : "s")}"
        : $"at least {MinArguments} arguments";
}
