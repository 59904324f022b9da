namespace ProcessOptimizer.Core.Formulas;

using static Build;

/// <summary>
/// Symbolic first derivatives of formula trees. A derivative of a branch (<c>max</c>, <c>abs</c>,
/// <c>if/else</c>, <c>and/or</c>) is the derivative of the branch that is active at the point, and the
/// result keeps the branch lazy, so an inactive branch is never evaluated.
/// </summary>
public static class Differentiator
{
    /// <summary>d(node)/d(symbol), simplified.</summary>
    public static FormulaNode Derive(FormulaNode node, string symbol) => node switch
    {
        NumberNode => Zero,
        SymbolNode s => s.Name == symbol ? One : Zero,
        UnaryNode u => u.Operator switch
        {
            UnaryOperator.Negate => Negate(Derive(u.Operand, symbol)),
            UnaryOperator.Plus => Derive(u.Operand, symbol),
            _ => Zero,
        },
        BinaryNode b => DeriveBinary(b, symbol),
        ConditionalNode c => Conditional(c.Test, Derive(c.WhenTrue, symbol), Derive(c.WhenFalse, symbol)),
        CallNode c => DeriveCall(c, symbol),
        _ => throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node)),
    };

    /// <summary>Whether the node's value can change with the symbol.</summary>
    public static bool DependsOn(FormulaNode node, string symbol) => node switch
    {
        SymbolNode s => s.Name == symbol,
        UnaryNode u => DependsOn(u.Operand, symbol),
        BinaryNode b => DependsOn(b.Left, symbol) || DependsOn(b.Right, symbol),
        ConditionalNode c => DependsOn(c.Test, symbol) || DependsOn(c.WhenTrue, symbol) || DependsOn(c.WhenFalse, symbol),
        CallNode c => c.Arguments.Any(a => DependsOn(a, symbol)),
        _ => false,
    };

    private static FormulaNode DeriveBinary(BinaryNode b, string symbol)
    {
        var (a, c) = (b.Left, b.Right);
        var da = Derive(a, symbol);
        var dc = Derive(c, symbol);
        return b.Operator switch
        {
            BinaryOperator.Add => Add(da, dc),
            BinaryOperator.Subtract => Subtract(da, dc),
            BinaryOperator.Multiply => Add(Multiply(da, c), Multiply(a, dc)),
            BinaryOperator.Divide => Subtract(Divide(da, c), Divide(Multiply(a, dc), Multiply(c, c))),
            BinaryOperator.Modulo => Subtract(da, Multiply(dc, Call("floor", new BinaryNode(BinaryOperator.Divide, a, c)))),
            BinaryOperator.Power => DerivePower(a, c, da, dc, symbol),
            // Python's `a and b` is a when a is falsy, else b; `a or b` is a when a is truthy, else b.
            BinaryOperator.And => Conditional(a, dc, da),
            BinaryOperator.Or => Conditional(a, da, dc),
            // Floor division and comparisons are piecewise constant.
            _ => Zero,
        };
    }

    private static FormulaNode DerivePower(FormulaNode a, FormulaNode c, FormulaNode da, FormulaNode dc, string symbol)
    {
        if (!DependsOn(c, symbol))
        {
            // c * a**(c-1) * da; this form stays defined for negative a with integer c.
            var exponent = c is NumberNode n ? Number(n.Value - 1) : Subtract(c, One);
            return Multiply(Multiply(c, Power(a, exponent)), da);
        }

        // a**c * (dc*log(a) + c*da/a)
        var power = new BinaryNode(BinaryOperator.Power, a, c);
        return Multiply(power, Add(Multiply(dc, Call("log", a)), Divide(Multiply(c, da), a)));
    }

    private static FormulaNode DeriveCall(CallNode call, string symbol)
    {
        var args = call.Arguments;
        switch (call.Function)
        {
            case "min" or "max":
                return DeriveExtremum(call.Function, args, symbol);
            case "clip":
                var clipped = Call("min", Call("max", args[0], args[1]), args[2]);
                return Derive(clipped, symbol);
            case "pow":
                return DerivePower(args[0], args[1], Derive(args[0], symbol), Derive(args[1], symbol), symbol);
            case "floor" or "ceil":
                return Zero;
        }

        var a = args[0];
        var da = Derive(a, symbol);
        if (IsZero(da))
        {
            return Zero;
        }

        return call.Function switch
        {
            "abs" => Conditional(Compare(BinaryOperator.GreaterOrEqual, a, Zero), da, Negate(da)),
            "exp" => Multiply(call, da),
            "log" => Divide(da, a),
            "log10" => Divide(da, Multiply(a, Number(Math.Log(10)))),
            "sqrt" => Divide(da, Multiply(Number(2), call)),
            "sin" => Multiply(Call("cos", a), da),
            "cos" => Negate(Multiply(Call("sin", a), da)),
            "tan" => Divide(da, Power(Call("cos", a), Number(2))),
            "tanh" => Multiply(Subtract(One, Power(call, Number(2))), da),
            _ => throw new ArgumentException($"no derivative rule for {call.Function}", nameof(call)),
        };
    }

    // Python's max keeps the first of equal items: max(a, b) is b only when b > a.
    private static FormulaNode DeriveExtremum(string function, IReadOnlyList<FormulaNode> args, string symbol)
    {
        var op = function == "max" ? BinaryOperator.Greater : BinaryOperator.Less;
        FormulaNode best = args[0];
        var derivative = Derive(best, symbol);
        for (var i = 1; i < args.Count; i++)
        {
            var challenger = args[i];
            derivative = Conditional(Compare(op, challenger, best), Derive(challenger, symbol), derivative);
            best = Call(function, best, challenger);
        }

        return derivative;
    }
}
