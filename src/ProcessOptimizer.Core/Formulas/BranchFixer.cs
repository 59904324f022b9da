namespace ProcessOptimizer.Core.Formulas;

using static Build;

/// <summary>
/// Replaces each kink of a formula (max, min, abs, clip, and if/else on a comparison) by the branch that is
/// active at a point, and returns for each replaced kink a condition <c>c ≥ 0</c> that keeps that branch the
/// active one. Within those conditions the fixed formula equals the original and is smooth, so a smooth
/// solver can finish a problem whose optimum sits on a kink.
/// </summary>
public static class BranchFixer
{
    /// <param name="varies">Whether a symbol can move; kinks between constants need no condition.</param>
    /// <param name="forced">
    /// When given, picks the side of the k-th varying kink (true: the first, as for a positive margin) from k and
    /// the side active at the point.
    /// </param>
    /// <param name="choices">When given, receives the side taken at every kink, varying or not, in order: equal choices give equal trees.</param>
    public static (FormulaNode Fixed, IReadOnlyList<FormulaNode> Conditions) Fix(
        FormulaNode node, Func<string, double> symbol, Func<string, bool> varies, Func<int, bool, bool>? forced = null, List<bool>? choices = null)
    {
        var conditions = new List<FormulaNode>();
        var fixedNode = new Fixer(symbol, varies, conditions, forced, choices).Visit(node);
        return (fixedNode, conditions);
    }

    /// <summary>Whether a formula has a kink that depends on a varying symbol.</summary>
    public static bool HasKinks(FormulaNode node, Func<string, bool> varies) =>
        Fix(node, _ => 0, varies).Conditions.Count > 0;

    private sealed class Fixer(Func<string, double> symbol, Func<string, bool> varies, List<FormulaNode> conditions, Func<int, bool, bool>? forced, List<bool>? choices)
    {
        public FormulaNode Visit(FormulaNode node) => node switch
        {
            UnaryNode u => u with { Operand = Visit(u.Operand) },
            BinaryNode b => b with { Left = Visit(b.Left), Right = Visit(b.Right) },
            ConditionalNode c => FixConditional(c with { WhenTrue = Visit(c.WhenTrue), WhenFalse = Visit(c.WhenFalse) }),
            CallNode c => FixCall(c with { Arguments = c.Arguments.Select(Visit).ToArray() }),
            _ => node,
        };

        private FormulaNode FixCall(CallNode call)
        {
            var args = call.Arguments;
            switch (call.Function)
            {
                case "abs":
                    return Choose(args[0], Negate(args[0]), Value(args[0]) >= 0, args[0]);
                case "max" or "min":
                    var best = args[0];
                    for (var i = 1; i < args.Count; i++)
                    {
                        var challenger = args[i];
                        var difference = call.Function == "max" ? Subtract(challenger, best) : Subtract(best, challenger);
                        // Python keeps the first of equal items: the challenger wins only when strictly better.
                        best = Choose(challenger, best, Value(difference) > 0, difference);
                    }

                    return best;
                case "clip":
                    return Visit(Call("min", Call("max", args[0], args[1]), args[2]));
                default:
                    return call;
            }
        }

        private FormulaNode FixConditional(ConditionalNode conditional)
        {
            if (conditional.Test is not BinaryNode { Operator: BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual } test)
            {
                return conditional;
            }

            // Express the test as "margin ≥ 0 means true".
            var margin = test.Operator is BinaryOperator.Greater or BinaryOperator.GreaterOrEqual
                ? Subtract(test.Left, test.Right)
                : Subtract(test.Right, test.Left);
            return Choose(conditional.WhenTrue, conditional.WhenFalse, Value(conditional.Test) != 0, margin);
        }

        // margin ≥ 0 keeps `first`; margin ≤ 0 keeps `second`.
        private FormulaNode Choose(FormulaNode first, FormulaNode second, bool firstActive, FormulaNode margin)
        {
            if (Varies(margin))
            {
                firstActive = forced?.Invoke(conditions.Count, firstActive) ?? firstActive;
                conditions.Add(firstActive ? margin : Negate(margin));
            }

            choices?.Add(firstActive);

            return firstActive ? first : second;
        }

        private double Value(FormulaNode node) => FormulaInterpreter.Evaluate(node, symbol);

        private bool Varies(FormulaNode node) => Symbols.Any(node, varies);
    }
}
