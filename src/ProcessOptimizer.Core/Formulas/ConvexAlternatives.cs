namespace ProcessOptimizer.Core.Formulas;

using static Build;

/// <summary>
/// Writes a convex piecewise-smooth expression as the max of a finite list of smooth alternatives, so that one
/// epigraph variable with one row per alternative replaces it exactly. The forms covered, recursively: a smooth
/// expression (itself), <c>max(a, b, …)</c> (the union), <c>abs(g)</c> (g's alternatives and −g's), <c>a + b</c>
/// (every pairwise sum), <c>a − b</c> with b concave, and a product or quotient with a constant (scaled; a negative
/// one turns max into min). Anything else, or more than <see cref="Cap"/> alternatives, is not covered.
/// </summary>
/// <param name="symbol">Values of the symbols that do not vary, for the constants.</param>
/// <param name="varies">Whether a symbol can move.</param>
internal sealed class ConvexAlternatives(Func<string, double> symbol, Func<string, bool> varies)
{
    /// <summary>
    /// The most alternatives one term may have: sums multiply their counts (six abs terms summed make 64, and a
    /// max(0, ·) around them one more), and each alternative is a constraint row of every solve.
    /// </summary>
    public const int Cap = 64;

    private readonly System.Text.StringBuilder _signs = new();

    /// <summary>
    /// The signs of the constants met, in order: with the formula they fix the alternatives' shape, whatever the
    /// constants' values.
    /// </summary>
    public string Signs => _signs.ToString();

    /// <summary>Alternatives whose max is <c>sign·node</c>, or null when that is not convex in a covered form.</summary>
    public List<FormulaNode>? Of(FormulaNode node, int sign)
    {
        if (!BranchFixer.HasKinks(node, varies))
        {
            return [sign > 0 ? node : Negate(node)];
        }

        return node switch
        {
            UnaryNode { Operator: UnaryOperator.Negate } n => Of(n.Operand, -sign),
            BinaryNode { Operator: BinaryOperator.Add } b => Sums(Of(b.Left, sign), Of(b.Right, sign)),
            BinaryNode { Operator: BinaryOperator.Subtract } b => Sums(Of(b.Left, sign), Of(b.Right, -sign)),
            BinaryNode { Operator: BinaryOperator.Multiply } b when Fixed(b.Left) => Scaled(b.Left, b.Right, sign, Multiply),
            BinaryNode { Operator: BinaryOperator.Multiply } b when Fixed(b.Right) => Scaled(b.Right, b.Left, sign, Multiply),
            BinaryNode { Operator: BinaryOperator.Divide } b when Fixed(b.Right) => Scaled(b.Right, b.Left, sign, (c, p) => Divide(p, c)),
            CallNode { Function: "abs", Arguments.Count: 1 } c when sign > 0 => Union([Of(c.Arguments[0], 1), Of(c.Arguments[0], -1)]),
            CallNode { Function: "max", Arguments.Count: >= 2 } c when sign > 0 => Union([.. c.Arguments.Select(a => Of(a, 1))]),
            CallNode { Function: "min", Arguments.Count: >= 2 } c when sign < 0 => Union([.. c.Arguments.Select(a => Of(a, -1))]),
            _ => null,
        };
    }

    private bool Fixed(FormulaNode node) => !Symbols.Any(node, varies);

    private List<FormulaNode>? Scaled(FormulaNode constant, FormulaNode node, int sign, Func<FormulaNode, FormulaNode, FormulaNode> apply)
    {
        var value = FormulaInterpreter.Evaluate(constant, symbol);
        if (!double.IsFinite(value) || value == 0)
        {
            return null;
        }

        _signs.Append(value > 0 ? '+' : '-');
        var magnitude = value > 0 ? constant : Negate(constant);
        return Of(node, value > 0 ? sign : -sign)?.Select(p => apply(magnitude, p)).ToList();
    }

    private static List<FormulaNode>? Sums(List<FormulaNode>? left, List<FormulaNode>? right) =>
        left is null || right is null || left.Count * right.Count > Cap
            ? null
            : [.. left.SelectMany(a => right.Select(b => Add(a, b)))];

    private static List<FormulaNode>? Union(List<FormulaNode>?[] parts) =>
        parts.Any(p => p is null) || parts.Sum(p => p!.Count) > Cap ? null : [.. parts.SelectMany(p => p!)];
}
