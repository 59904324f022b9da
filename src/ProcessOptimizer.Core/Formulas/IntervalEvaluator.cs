namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// Bounds a formula over ranges of its symbols by interval arithmetic. The result always contains every value
/// the formula takes there (rounding aside); it may be wider. What it cannot bound, it gives as
/// <see cref="Interval.Whole"/>, so a caller that prunes on a bound never prunes on a guess.
/// </summary>
public static class IntervalEvaluator
{
    public static Interval Evaluate(FormulaNode node, Func<string, Interval> symbol) => Evaluate(node, static (name, lookup) => lookup(name), symbol);

    /// <summary>As <see cref="Evaluate(FormulaNode, Func{string, Interval})"/>, with the symbols' ranges looked up in <paramref name="state"/>: a static lookup allocates nothing.</summary>
    public static Interval Evaluate<TState>(FormulaNode node, Func<string, TState, Interval> symbol, TState state) => node switch
    {
        NumberNode n => Interval.Point(n.Value),
        SymbolNode s => symbol(s.Name, state),
        UnaryNode { Operator: UnaryOperator.Negate } u => -Evaluate(u.Operand, symbol, state),
        UnaryNode { Operator: UnaryOperator.Plus } u => Evaluate(u.Operand, symbol, state),
        BinaryNode b => Binary(b, symbol, state),
        ConditionalNode c => Evaluate(c.WhenTrue, symbol, state).Hull(Evaluate(c.WhenFalse, symbol, state)),
        CallNode c => Call(c, symbol, state),
        _ => new Interval(0, 1),
    };

    // The arguments live on the stack: formulas call functions of a few arguments.
    private static Interval Call<TState>(CallNode c, Func<string, TState, Interval> symbol, TState state)
    {
        var count = c.Arguments.Count;
        var a = count <= 16 ? stackalloc Interval[count] : new Interval[count];
        for (var i = 0; i < count; i++)
        {
            a[i] = Evaluate(c.Arguments[i], symbol, state);
        }

        return Call(c.Function, a);
    }

    private static Interval Binary<TState>(BinaryNode b, Func<string, TState, Interval> symbol, TState state)
    {
        var (left, right) = (Evaluate(b.Left, symbol, state), Evaluate(b.Right, symbol, state));
        return b.Operator switch
        {
            BinaryOperator.Add => left + right,
            BinaryOperator.Subtract => left - right,
            BinaryOperator.Multiply => left * right,
            BinaryOperator.Divide => left / right,
            BinaryOperator.Power when right.Low == right.High => Power(left, right.Low),
            BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual
                or BinaryOperator.Equal or BinaryOperator.NotEqual => new Interval(0, 1),
            _ => Interval.Whole,
        };
    }

    private static Interval Power(Interval x, double exponent)
    {
        if (exponent == 1)
        {
            return x;
        }

        if (exponent == 2)
        {
            var square = x * x;
            return x.Contains(0) ? new Interval(0, square.High) : new Interval(Math.Min(x.Low * x.Low, x.High * x.High), square.High);
        }

        // A positive base raised to a constant: monotone either way.
        if (x.Low > 0)
        {
            var (a, b) = (Math.Pow(x.Low, exponent), Math.Pow(x.High, exponent));
            return new Interval(Math.Min(a, b), Math.Max(a, b));
        }

        return Interval.Whole;
    }

    private static Interval Call(string function, ReadOnlySpan<Interval> a) => function switch
    {
        "max" => Fold(a, static (x, y) => new Interval(Math.Max(x.Low, y.Low), Math.Max(x.High, y.High))),
        "min" => Fold(a, static (x, y) => new Interval(Math.Min(x.Low, y.Low), Math.Min(x.High, y.High))),
        "clip" => Call("min", [Call("max", [a[0], a[1]]), a[2]]),
        "abs" => a[0].Contains(0) ? new Interval(0, Math.Max(-a[0].Low, a[0].High)) : a[0].Low > 0 ? a[0] : -a[0],
        "exp" => a[0].Rising(Math.Exp),
        "tanh" => a[0].Rising(Math.Tanh),
        "sqrt" when a[0].Low >= 0 => a[0].Rising(Math.Sqrt),
        "log" when a[0].Low > 0 => a[0].Rising(Math.Log),
        "log10" when a[0].Low > 0 => a[0].Rising(Math.Log10),
        "floor" => a[0].Rising(Math.Floor),
        "ceil" => a[0].Rising(Math.Ceiling),
        _ => Interval.Whole,
    };

    private static Interval Fold(ReadOnlySpan<Interval> a, Func<Interval, Interval, Interval> pick)
    {
        var result = a[0];
        for (var i = 1; i < a.Length; i++)
        {
            result = pick(result, a[i]);
        }

        return result;
    }
}
