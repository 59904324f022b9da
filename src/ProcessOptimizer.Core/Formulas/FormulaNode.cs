namespace ProcessOptimizer.Core.Formulas;

/// <summary>A node of a parsed formula. Nodes are immutable; equality is structural and ignores <see cref="Position"/>.</summary>
public abstract record FormulaNode
{
    /// <summary>Zero-based offset of the node's first character in the formula text, or -1 for generated nodes.</summary>
    public int Position { get; init; } = -1;

    /// <summary>Structural equality: where a node came from does not change what it means.</summary>
    public virtual bool Equals(FormulaNode? other) => other is not null && EqualityContract == other.EqualityContract;

    /// <inheritdoc />
    public override int GetHashCode() => EqualityContract.GetHashCode();
}

/// <summary>A numeric literal (also <c>True</c> and <c>False</c>, as 1 and 0).</summary>
public sealed record NumberNode(double Value) : FormulaNode;

/// <summary>A name: a variable symbol such as <c>X_dof</c>, or a weight.</summary>
public sealed record SymbolNode(string Name) : FormulaNode;

/// <summary>A prefix operator.</summary>
public sealed record UnaryNode(UnaryOperator Operator, FormulaNode Operand) : FormulaNode;

/// <summary>An infix operator, including comparisons and <c>and</c>/<c>or</c>.</summary>
public sealed record BinaryNode(BinaryOperator Operator, FormulaNode Left, FormulaNode Right) : FormulaNode;

/// <summary>Python's <c>WhenTrue if Test else WhenFalse</c>; only the chosen branch is evaluated.</summary>
public sealed record ConditionalNode(FormulaNode Test, FormulaNode WhenTrue, FormulaNode WhenFalse) : FormulaNode;

/// <summary>A call of a built-in function.</summary>
public sealed record CallNode(string Function, IReadOnlyList<FormulaNode> Arguments) : FormulaNode
{
    /// <summary>Structural equality over the arguments, which a list does not give by itself.</summary>
    public bool Equals(CallNode? other) =>
        other is not null && Function == other.Function && Arguments.SequenceEqual(other.Arguments);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Function);
        foreach (var argument in Arguments)
        {
            hash.Add(argument);
        }

        return hash.ToHashCode();
    }
}
