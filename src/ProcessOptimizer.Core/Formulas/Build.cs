namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// Node constructors that fold constants and drop neutral terms, so that symbolic derivatives stay small.
/// They keep IEEE meaning except that <c>0 * x</c> is 0 even where x would be NaN: derivatives multiply
/// by structurally zero terms all the time, and those terms carry no information.
/// </summary>
internal static class Build
{
    public static readonly NumberNode Zero = new(0);
    public static readonly NumberNode One = new(1);

    public static bool IsZero(FormulaNode node) => node is NumberNode { Value: 0 };

    public static bool IsOne(FormulaNode node) => node is NumberNode { Value: 1 };

    public static FormulaNode Number(double value) => new NumberNode(value);

    public static FormulaNode Add(FormulaNode a, FormulaNode b) => (a, b) switch
    {
        (NumberNode x, NumberNode y) => Number(x.Value + y.Value),
        _ when IsZero(a) => b,
        _ when IsZero(b) => a,
        (_, UnaryNode { Operator: UnaryOperator.Negate } n) => Subtract(a, n.Operand),
        _ => new BinaryNode(BinaryOperator.Add, a, b),
    };

    public static FormulaNode Subtract(FormulaNode a, FormulaNode b) => (a, b) switch
    {
        (NumberNode x, NumberNode y) => Number(x.Value - y.Value),
        _ when IsZero(b) => a,
        _ when IsZero(a) => Negate(b),
        _ => new BinaryNode(BinaryOperator.Subtract, a, b),
    };

    public static FormulaNode Multiply(FormulaNode a, FormulaNode b) => (a, b) switch
    {
        (NumberNode x, NumberNode y) => Number(x.Value * y.Value),
        _ when IsZero(a) || IsZero(b) => Zero,
        _ when IsOne(a) => b,
        _ when IsOne(b) => a,
        (NumberNode { Value: -1 }, _) => Negate(b),
        (_, NumberNode { Value: -1 }) => Negate(a),
        _ => new BinaryNode(BinaryOperator.Multiply, a, b),
    };

    public static FormulaNode Divide(FormulaNode a, FormulaNode b) => (a, b) switch
    {
        _ when IsZero(a) => Zero,
        _ when IsOne(b) => a,
        (NumberNode x, NumberNode y) when y.Value != 0 => Number(x.Value / y.Value),
        _ => new BinaryNode(BinaryOperator.Divide, a, b),
    };

    public static FormulaNode Power(FormulaNode a, FormulaNode b) => (a, b) switch
    {
        _ when IsZero(b) => One,
        _ when IsOne(b) => a,
        _ => new BinaryNode(BinaryOperator.Power, a, b),
    };

    public static FormulaNode Negate(FormulaNode a) => a switch
    {
        NumberNode x => Number(-x.Value),
        UnaryNode { Operator: UnaryOperator.Negate } n => n.Operand,
        _ => new UnaryNode(UnaryOperator.Negate, a),
    };

    public static FormulaNode Call(string function, params FormulaNode[] arguments) => new CallNode(function, arguments);

    public static FormulaNode Compare(BinaryOperator op, FormulaNode a, FormulaNode b) => new BinaryNode(op, a, b);

    // Derivative graphs share subtrees, and their trees can be exponentially larger than the graphs (the derivative
    // of abs(u) names du twice): the records' own equality walks the tree. Past this many node pairs two trees count
    // as different, which only leaves unfolded a conditional that could have been folded.
    internal const int SameTreeBudget = 10_000;

    /// <summary>Structural equality, as the records define it, within <see cref="SameTreeBudget"/> node pairs.</summary>
    public static bool SameTree(FormulaNode a, FormulaNode b)
    {
        var pending = new Stack<(FormulaNode, FormulaNode)>();
        pending.Push((a, b));
        var budget = SameTreeBudget;
        while (pending.TryPop(out var pair))
        {
            var (x, y) = pair;
            if (ReferenceEquals(x, y))
            {
                continue;
            }

            if (--budget < 0)
            {
                return false;
            }

            switch (x, y)
            {
                case (NumberNode p, NumberNode q) when p.Value.Equals(q.Value):
                case (SymbolNode m, SymbolNode n) when m.Name == n.Name:
                    break;
                case (UnaryNode p, UnaryNode q) when p.Operator == q.Operator:
                    pending.Push((p.Operand, q.Operand));
                    break;
                case (BinaryNode p, BinaryNode q) when p.Operator == q.Operator:
                    pending.Push((p.Left, q.Left));
                    pending.Push((p.Right, q.Right));
                    break;
                case (ConditionalNode p, ConditionalNode q):
                    pending.Push((p.Test, q.Test));
                    pending.Push((p.WhenTrue, q.WhenTrue));
                    pending.Push((p.WhenFalse, q.WhenFalse));
                    break;
                case (CallNode p, CallNode q) when p.Function == q.Function && p.Arguments.Count == q.Arguments.Count:
                    for (var i = 0; i < p.Arguments.Count; i++)
                    {
                        pending.Push((p.Arguments[i], q.Arguments[i]));
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    public static FormulaNode Conditional(FormulaNode test, FormulaNode whenTrue, FormulaNode whenFalse) => test switch
    {
        _ when SameTree(whenTrue, whenFalse) => whenTrue,
        NumberNode t => t.Value != 0 ? whenTrue : whenFalse,
        _ => new ConditionalNode(test, whenTrue, whenFalse),
    };
}
