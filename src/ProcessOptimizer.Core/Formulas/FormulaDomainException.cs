namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// A formula was evaluated outside its domain: division by zero, log of a non-positive number,
/// or a result that is NaN or infinite. The owner of the formula adds which skill it belongs to.
/// </summary>
public sealed class FormulaDomainException : Exception
{
    public FormulaDomainException(string problem, int position)
        : base(position >= 0 ? $"{problem} at column {position + 1}" : problem)
    {
        Problem = problem;
        Position = position;
    }

    /// <summary>What went wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>Zero-based offset of the operator or call that failed, or -1 for the whole result.</summary>
    public int Position { get; }
}
