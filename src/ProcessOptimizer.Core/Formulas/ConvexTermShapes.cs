namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// Whether <see cref="ConvexKinkSplitter"/> can find a term in a formula for some values of its fixed symbols, from
/// the formula's shape alone. The forms it covers are fixed by the tree and by which symbols vary; the values only
/// choose signs (abs and max need a positive weight, min a negative one) and rule out zero or infinite constants. So
/// a formula whose every kinked term has a form outside them (a product of two terms that both vary, say) never
/// yields a term, and a cycle need not try.
/// </summary>
internal static class ConvexTermShapes
{
    /// <summary>False only when <see cref="ConvexKinkSplitter.Split"/> finds no term whatever the values of the fixed symbols.</summary>
    public static bool MayFindTerms(FormulaNode node, Func<string, bool> varies)
    {
        var parts = new List<(FormulaNode Node, bool Negative)>();
        ConvexKinkSplitter.Collect(node, false, parts);
        foreach (var (part, _) in parts)
        {
            // The factor that AsTerm takes as the weight, chosen by which side varies, as it chooses it.
            var inner = part switch
            {
                BinaryNode { Operator: BinaryOperator.Multiply } b when Fixed(b.Right, varies) && !Fixed(b.Left, varies) => b.Left,
                BinaryNode { Operator: BinaryOperator.Multiply } b when Fixed(b.Left, varies) && !Fixed(b.Right, varies) => b.Right,
                BinaryNode { Operator: BinaryOperator.Divide } b when Fixed(b.Right, varies) => b.Left,
                _ => part,
            };
            if (BranchFixer.HasKinks(inner, varies) && MayBeCovered(inner, varies))
            {
                return true;
            }
        }

        return false;
    }

    // As ConvexAlternatives.Of, for either sign: false only where Of gives null for both.
    private static bool MayBeCovered(FormulaNode node, Func<string, bool> varies) =>
        !BranchFixer.HasKinks(node, varies) || node switch
        {
            UnaryNode { Operator: UnaryOperator.Negate } n => MayBeCovered(n.Operand, varies),
            BinaryNode { Operator: BinaryOperator.Add or BinaryOperator.Subtract } b => MayBeCovered(b.Left, varies) && MayBeCovered(b.Right, varies),
            BinaryNode { Operator: BinaryOperator.Multiply } b when Fixed(b.Left, varies) => MayBeCovered(b.Right, varies),
            BinaryNode { Operator: BinaryOperator.Multiply } b when Fixed(b.Right, varies) => MayBeCovered(b.Left, varies),
            BinaryNode { Operator: BinaryOperator.Divide } b when Fixed(b.Right, varies) => MayBeCovered(b.Left, varies),
            CallNode { Function: "abs", Arguments.Count: 1 } c => MayBeCovered(c.Arguments[0], varies),
            CallNode { Function: "max" or "min", Arguments.Count: >= 2 } c => c.Arguments.All(a => MayBeCovered(a, varies)),
            _ => false,
        };

    private static bool Fixed(FormulaNode node, Func<string, bool> varies) => !Symbols.Any(node, varies);
}
