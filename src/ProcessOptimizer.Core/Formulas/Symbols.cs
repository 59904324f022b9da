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
}
