namespace ProcessOptimizer.Core.Formulas;

/// <summary>A formula could not be parsed.</summary>
public sealed class FormulaSyntaxException : Exception
{
    public FormulaSyntaxException(string problem, int position)
        : base($"{problem} at column {position + 1}")
    {
        Problem = problem;
        Position = position;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>Zero-based offset of the offending character.</summary>
    public int Position { get; }
}
