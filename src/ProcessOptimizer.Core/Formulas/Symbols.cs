namespace ProcessOptimizer.Core.Formulas;

/// <summary>Questions about the symbols a formula mentions.</summary>
internal static class Symbols
{
    /// <summary>Whether <paramref name="node"/> mentions a symbol that <paramref name="predicate"/> accepts.</summary>
    public static bool Any(FormulaNode node, Func<string, bool> predicate) => node switch
    {
        SymbolNode s => predicate(s.Name),
        UnaryNode u => Any(u.Operand, predicate),
        BinaryNode b => Any(b.Left, predicate) || Any(b.Right, predicate),
        ConditionalNode c => Any(c.Test, predicate) || Any(c.WhenTrue, predicate) || Any(c.WhenFalse, predicate),
        CallNode c => c.Arguments.Any(a => Any(a, predicate)),
        _ => false,
    };

    /// <summary>As <see cref="Any(FormulaNode, Func{string, bool})"/>, with the predicate's state passed along: a static predicate allocates nothing.</summary>
    public static bool Any<TState>(FormulaNode node, Func<string, TState, bool> predicate, TState state)
    {
        switch (node)
        {
            case SymbolNode s:
                return predicate(s.Name, state);
            case UnaryNode u:
                return Any(u.Operand, predicate, state);
            case BinaryNode b:
                return Any(b.Left, predicate, state) || Any(b.Right, predicate, state);
            case ConditionalNode c:
                return Any(c.Test, predicate, state) || Any(c.WhenTrue, predicate, state) || Any(c.WhenFalse, predicate, state);
            case CallNode c:
                for (var i = 0; i < c.Arguments.Count; i++)
                {
                    if (Any(c.Arguments[i], predicate, state))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }
}
