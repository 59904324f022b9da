namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// Evaluates a tree directly, with IEEE arithmetic and Python's choices for max, min and %. Slow; used where
/// the value of each subexpression matters, such as picking the active branches of a nonsmooth formula.
/// </summary>
public static class FormulaInterpreter
{
    public static double Evaluate(FormulaNode node, Func<string, double> symbol) => Evaluate(node, static (name, lookup) => lookup(name), symbol);

    /// <summary>As <see cref="Evaluate(FormulaNode, Func{string, double})"/>, with the symbols' values looked up in <paramref name="state"/>: a static lookup allocates nothing.</summary>
    public static double Evaluate<TState>(FormulaNode node, Func<string, TState, double> symbol, TState state) => node switch
    {
        NumberNode n => n.Value,
        SymbolNode s => symbol(s.Name, state),
        UnaryNode u => Apply(u.Operator, Evaluate(u.Operand, symbol, state)),
        BinaryNode b => Binary(b, symbol, state),
        ConditionalNode c => Evaluate(c.Test, symbol, state) != 0 ? Evaluate(c.WhenTrue, symbol, state) : Evaluate(c.WhenFalse, symbol, state),
        CallNode c => Call(c, symbol, state),
        _ => throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node)),
    };

    private static double Binary<TState>(BinaryNode b, Func<string, TState, double> symbol, TState state)
    {
        var left = Evaluate(b.Left, symbol, state);
        switch (b.Operator)
        {
            case BinaryOperator.And:
                return left == 0 ? left : Evaluate(b.Right, symbol, state);
            case BinaryOperator.Or:
                return left != 0 ? left : Evaluate(b.Right, symbol, state);
        }

        return Apply(b.Operator, left, Evaluate(b.Right, symbol, state));
    }

    /// <summary>A binary operator on its operands' values (<c>and</c>, <c>or</c> as Python: the deciding operand).</summary>
    internal static double Apply(BinaryOperator op, double left, double right) => op switch
    {
        BinaryOperator.And => left == 0 ? left : right,
        BinaryOperator.Or => left != 0 ? left : right,
        _ => Arithmetic(op, left, right),
    };

    /// <summary>A unary operator on its operand's value.</summary>
    internal static double Apply(UnaryOperator op, double operand) => op switch
    {
        UnaryOperator.Negate => -operand,
        UnaryOperator.Plus => operand,
        _ => operand == 0 ? 1 : 0,
    };

    private static double Arithmetic(BinaryOperator op, double left, double right)
    {
        return op switch
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

    // The arguments live on the stack: formulas call functions of a few arguments.
    private static double Call<TState>(CallNode c, Func<string, TState, double> symbol, TState state)
    {
        var count = c.Arguments.Count;
        var a = count <= 16 ? stackalloc double[count] : new double[count];
        for (var i = 0; i < count; i++)
        {
            a[i] = Evaluate(c.Arguments[i], symbol, state);
        }

        return Call(c, a);
    }

    /// <summary>A function of the arguments' values.</summary>
    internal static double Call(CallNode c, ReadOnlySpan<double> a) => c.Function switch
    {
        "abs" => Math.Abs(a[0]),
        "max" => Fold(a, PythonMath.Max),
        "min" => Fold(a, PythonMath.Min),
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

    private static double Fold(ReadOnlySpan<double> a, Func<double, double, double> pick)
    {
        var result = a[0];
        for (var i = 1; i < a.Length; i++)
        {
            result = pick(result, a[i]);
        }

        return result;
    }
}
