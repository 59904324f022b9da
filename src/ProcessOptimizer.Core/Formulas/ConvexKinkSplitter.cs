namespace ProcessOptimizer.Core.Formulas;

using static Build;

/// <summary>
/// Finds the terms of a sum that an epigraph replaces exactly: <c>w·abs(g)</c>, <c>w·max(g1, g2, …)</c> with
/// w &gt; 0 and <c>w·min(g1, g2, …)</c> with w &lt; 0, where w does not vary and no g has a kink. Minimising
/// <c>rest + w·t</c> subject to <c>t ≥ gi</c> (for abs: <c>t ≥ g</c>, <c>t ≥ −g</c>) gives the same optimum as
/// the original, because a positive weight pushes t down onto the largest gi. The other terms stay in the rest.
/// </summary>
public static class ConvexKinkSplitter
{
    /// <summary>One replaced term: the cost gains <c>Weight·t</c>, with <c>t ≥ Floor</c> and <c>t ≥ r</c> for every row r.</summary>
    /// <param name="Index">The term's place among the sum's terms, the same for the same formula and signs of weights.</param>
    public sealed record Term(int Index, double Weight, double Floor, IReadOnlyList<FormulaNode> Rows);

    /// <param name="symbol">Values of the symbols that do not vary, for the weights.</param>
    /// <param name="varies">Whether a symbol can move.</param>
    public static (FormulaNode Remainder, IReadOnlyList<Term> Terms) Split(FormulaNode node, Func<string, double> symbol, Func<string, bool> varies)
    {
        var parts = new List<(FormulaNode Node, bool Negative)>();
        Collect(node, false, parts);
        var rest = (FormulaNode)Zero;
        var terms = new List<Term>();
        for (var i = 0; i < parts.Count; i++)
        {
            var (part, negative) = parts[i];
            if (AsTerm(i, part, negative ? -1 : 1, symbol, varies) is { } term)
            {
                terms.Add(term);
            }
            else
            {
                rest = negative ? Subtract(rest, part) : Add(rest, part);
            }
        }

        return (rest, terms);
    }

    private static void Collect(FormulaNode node, bool negative, List<(FormulaNode, bool)> parts)
    {
        switch (node)
        {
            case BinaryNode { Operator: BinaryOperator.Add or BinaryOperator.Subtract } sum:
                Collect(sum.Left, negative, parts);
                Collect(sum.Right, sum.Operator == BinaryOperator.Subtract ? !negative : negative, parts);
                break;
            case UnaryNode { Operator: UnaryOperator.Negate } negation:
                Collect(negation.Operand, !negative, parts);
                break;
            default:
                parts.Add((node, negative));
                break;
        }
    }

    private static Term? AsTerm(int index, FormulaNode part, double sign, Func<string, double> symbol, Func<string, bool> varies)
    {
        bool Fixed(FormulaNode n) => !Symbols.Any(n, varies);
        double Value(FormulaNode n) => FormulaInterpreter.Evaluate(n, symbol);
        var (call, factor) = part switch
        {
            CallNode c => (c, 1.0),
            BinaryNode { Operator: BinaryOperator.Multiply, Left: CallNode c } b when Fixed(b.Right) => (c, Value(b.Right)),
            BinaryNode { Operator: BinaryOperator.Multiply, Right: CallNode c } b when Fixed(b.Left) => (c, Value(b.Left)),
            BinaryNode { Operator: BinaryOperator.Divide, Left: CallNode c } b when Fixed(b.Right) => (c, 1 / Value(b.Right)),
            _ => (null, double.NaN),
        };
        var weight = sign * factor;
        if (call is null || !double.IsFinite(weight) || weight == 0)
        {
            return null;
        }

        IReadOnlyList<FormulaNode>? rows = (call.Function, call.Arguments.Count) switch
        {
            ("abs", 1) when weight > 0 => [call.Arguments[0], Negate(call.Arguments[0])],
            ("max", >= 2) when weight > 0 => call.Arguments,
            ("min", >= 2) when weight < 0 => [.. call.Arguments.Select(Negate)],
            _ => null,
        };
        var moving = rows?.Where(r => !Fixed(r)).ToList();
        if (rows is null || moving!.Count == 0 || moving.Any(r => BranchFixer.HasKinks(r, varies)))
        {
            return null;
        }

        var floor = rows.Where(Fixed).Select(Value).DefaultIfEmpty(double.NegativeInfinity).Max();
        return new Term(index, Math.Abs(weight), floor, moving);
    }
}
