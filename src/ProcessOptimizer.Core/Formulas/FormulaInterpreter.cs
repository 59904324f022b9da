namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// Evaluates a tree directly, with IEEE arithmetic and Python's choices for max, min and %. Slow; used where
/// the value of each subexpression matters, such as picking the active branches of a nonsmooth formula.
/// </summary>
public static class FormulaInterpreter
{
    public static double Evaluate(FormulaNode node, Func<string, double> symbol) => node switch
    {
        NumberNode n => n.Value,
        SymbolNode s => symbol(s.Name),
        UnaryNode u => u.Operator switch
        {
            UnaryOperator.Negate => -Evaluate(u.Operand, symbol),
            UnaryOperator.Plus => Evaluate(u.Operand, symbol),
            _ => Evaluate(u.Operand, symbol) == 0 ? 1 : 0,
        },
        BinaryNode b => Binary(b, symbol),
        ConditionalNode c => Evaluate(c.Test, symbol) != 0 ? Evaluate(c.WhenTrue, symbol) : Evaluate(c.WhenFalse, symbol),
        CallNode c => Call(c, c.Arguments.Select(a => Evaluate(a, symbol)).ToArray()),
        _ => throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node)),
    };

    private static double Binary(BinaryNode b, Func<string, double> symbol)
    {
        var left = Evaluate(b.Left, symbol);
        switch (b.Operator)
        {
            case BinaryOperator.And:
                return left == 0 ? left : Evaluate(b.Right, symbol);
            case BinaryOperator.Or:
                return left != 0 ? left : Evaluate(b.Right, symbol);
        }

        var right = Evaluate(b.Right, symbol);
        return b.Operator switch
        {
            BinaryOperator.Add => left + right,
            BinaryOperator.Subtract => left - right,
            BinaryOperator.Multiply => left * right,
            BinaryOperator.Divide => left / right,
            BinaryOperator.FloorDivide => Math.Floor(left / right),
            BinaryOperator.Modulo => PythonMath.Modulo(left, right),
            BinaryOperator.Power => Math.Pow(left, right),
            BinaryOperator.Less => left < right ? 1 : 0,
            BinaryOperator.LessOrEqual => left <= right ? 1 : 0,
            BinaryOperator.Greater => left > right ? 1 : 0,
            BinaryOperator.GreaterOrEqual => left >= right ? 1 : 0,
            BinaryOperator.Equal => left == right ? 1 : 0,
            _ => left != right ? 1 : 0,
        };
    }

    private static double Call(CallNode c, double[] a) => c.Function switch
    {
        "abs" => Math.Abs(a[0]),
        "max" => a.Skip(1).Aggregate(a[0], PythonMath.Max),
        "min" => a.Skip(1).Aggregate(a[0], PythonMath.Min),
        "clip" => PythonMath.Min(PythonMath.Max(a[0], a[1]), a[2]),
        "exp" => Math.Exp(a[0]),
        "log" => Math.Log(a[0]),
        "log10" => Math.Log10(a[0]),
        "sqrt" => Math.Sqrt(a[0]),
        "pow" => Math.Pow(a[0], a[1]),
        "sin" => Math.Sin(a[0]),
        "cos" => Math.Cos(a[0]),
        "tan" => Math.Tan(a[0]),
        "tanh" => Math.Tanh(a[0]),
        "floor" => Math.Floor(a[0]),
        "ceil" => Math.Ceiling(a[0]),
        _ => throw new ArgumentException($"unknown function {c.Function}", nameof(c)),
    };
}
