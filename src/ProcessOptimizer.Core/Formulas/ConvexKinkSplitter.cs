namespace ProcessOptimizer.Core.Formulas;

using static Build;

/// <summary>
/// Finds the terms of a sum that an epigraph replaces exactly: <c>w·h</c> with w a constant and h, for w &gt; 0,
/// the max of finitely many smooth alternatives gi (for w &lt; 0, the min), as <see cref="ConvexAlternatives"/>
/// writes it: <c>abs(g)</c>, <c>max(g1, g2, …)</c>, and nestings such as <c>max(abs(a), abs(b))</c> or
/// <c>max(0, abs(a) + abs(b) − c)</c>. Minimising <c>rest + |w|·t</c> subject to <c>t ≥ gi</c> gives the same
/// optimum as the original, because a positive weight pushes t down onto the largest gi. The other terms stay in
/// the rest.
/// </summary>
public static class ConvexKinkSplitter
{
    /// <summary>One replaced term: the cost gains <c>Weight·t</c>, with <c>t ≥ Floor</c> and <c>t ≥ r</c> for every row r.</summary>
    /// <param name="Index">The term's place among the sum's terms, the same for the same formula and signs of weights.</param>
    /// <param name="Signs">The signs of the constants inside the term, which with the formula fix its rows' shape.</param>
    public sealed record Term(int Index, string Signs, double Weight, double Floor, IReadOnlyList<FormulaNode> Rows);

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

    internal static void Collect(FormulaNode node, bool negative, List<(FormulaNode, bool)> parts)
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
        // A constant factor of the whole term becomes the weight of its t; the rows are those of what it multiplies.
        var (inner, factor) = part switch
        {
            BinaryNode { Operator: BinaryOperator.Multiply } b when Fixed(b.Right) && !Fixed(b.Left) => (b.Left, Value(b.Right)),
            BinaryNode { Operator: BinaryOperator.Multiply } b when Fixed(b.Left) && !Fixed(b.Right) => (b.Right, Value(b.Left)),
            BinaryNode { Operator: BinaryOperator.Divide } b when Fixed(b.Right) => (b.Left, 1 / Value(b.Right)),
            _ => (part, 1.0),
        };
        var weight = sign * factor;
        if (!double.IsFinite(weight) || weight == 0 || !BranchFixer.HasKinks(inner, varies))
        {
            return null;
        }

        var alternatives = new ConvexAlternatives(symbol, varies);
        var rows = alternatives.Of(inner, weight > 0 ? 1 : -1);
        var moving = rows?.Where(r => !Fixed(r)).ToList();
        if (rows is null || moving!.Count == 0)
        {
            return null;
        }

        var floor = rows.Where(Fixed).Select(Value).DefaultIfEmpty(double.NegativeInfinity).Max();
        return new Term(index, alternatives.Signs, Math.Abs(weight), floor, moving);
    }
}
