namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// Finds the terms of a formula that move in steps: <c>floor</c>, <c>ceil</c>, <c>//</c>, <c>%</c>, and comparisons
/// or <c>not</c> used as a number. Their slope is 0 wherever it is defined, so a gradient-based solver cannot see
/// their steps, and whatever it finds over them is a local optimum at best.
/// </summary>
/// <remarks>
/// A comparison that is the test of an if/else is not a step of its own: the if/else is a kink, whose sides the
/// search enumerates. Only terms with a moving symbol count; a step over constants is a constant.
/// </remarks>
public static class StepTerms
{
    /// <param name="moves">Whether a symbol can move during the solve.</param>
    public static IReadOnlyList<StepTerm> Find(FormulaNode node, Func<string, bool> moves)
    {
        var found = new List<StepTerm>();
        var pending = new Stack<(FormulaNode Node, bool IsTest)>();
        pending.Push((node, false));
        // Iterative: the depth of a formula is the user's to choose.
        while (pending.TryPop(out var item))
        {
            var (current, isTest) = item;
            if (!isTest && IsStep(current) && Moving(current, moves) is { Count: > 0 } symbols)
            {
                found.Add(new StepTerm(FormulaPrinter.Print(current), current.Position, symbols));
            }

            // Pushed last to first, so that terms are found in the order they appear.
            foreach (var child in FormulaLimits.Children(current).Reverse())
            {
                pending.Push((child, current is ConditionalNode c && ReferenceEquals(child, c.Test)));
            }
        }

        return found;
    }

    private static bool IsStep(FormulaNode node) => node switch
    {
        CallNode { Function: "floor" or "ceil" } => true,
        UnaryNode { Operator: UnaryOperator.Not } => true,
        BinaryNode b => b.Operator is BinaryOperator.FloorDivide or BinaryOperator.Modulo
            or BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual
            or BinaryOperator.Equal or BinaryOperator.NotEqual,
        _ => false,
    };

    private static List<string> Moving(FormulaNode node, Func<string, bool> moves)
    {
        var symbols = new List<string>();
        var pending = new Stack<FormulaNode>();
        pending.Push(node);
        while (pending.TryPop(out var current))
        {
            if (current is SymbolNode s && moves(s.Name) && !symbols.Contains(s.Name))
            {
                symbols.Add(s.Name);
            }

            foreach (var child in FormulaLimits.Children(current).Reverse())
            {
                pending.Push(child);
            }
        }

        return symbols;
    }
}
