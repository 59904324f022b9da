namespace ProcessOptimizer.Core.Formulas;

using static Build;

/// <summary>
/// Symbolic first derivatives of formula trees. A derivative of a branch (<c>max</c>, <c>abs</c>,
/// <c>if/else</c>, <c>and/or</c>) is the derivative of the branch that is active at the point, and the
/// result keeps the branch lazy, so an inactive branch is never evaluated.
/// </summary>
/// <remarks>
/// A derivative shares subtrees: that of <c>abs(u)</c> names <c>du</c> twice, so a first derivative of
/// <c>abs(abs(…(x)…))</c> is a graph of linear size whose tree doubles with each level. Each pass remembers what it
/// found per node (by reference), so the second derivative, and the test of what a node depends on, take time linear
/// in the graph; only the compiled-size check then counts the tree, and refuses it.
/// </remarks>
public static class Differentiator
{
    /// <summary>d(node)/d(symbol), simplified.</summary>
    public static FormulaNode Derive(FormulaNode node, string symbol) => new Derivation(symbol).Of(node);

    /// <summary>Whether the node's value can change with the symbol.</summary>
    public static bool DependsOn(FormulaNode node, string symbol) => new Derivation(symbol).DependsOn(node);

    private sealed class Derivation(string symbol)
    {
        private readonly Dictionary<FormulaNode, FormulaNode> _derived = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<FormulaNode, bool> _depends = new(ReferenceEqualityComparer.Instance);

        public FormulaNode Of(FormulaNode node)
        {
            if (!_derived.TryGetValue(node, out var derivative))
            {
                derivative = Derive(node);
                _derived[node] = derivative;
            }

            return derivative;
        }

        public bool DependsOn(FormulaNode node)
        {
            if (!_depends.TryGetValue(node, out var depends))
            {
                depends = node switch
                {
                    SymbolNode s => s.Name == symbol,
                    UnaryNode u => DependsOn(u.Operand),
                    BinaryNode b => DependsOn(b.Left) || DependsOn(b.Right),
                    ConditionalNode c => DependsOn(c.Test) || DependsOn(c.WhenTrue) || DependsOn(c.WhenFalse),
                    CallNode c => c.Arguments.Any(DependsOn),
                    _ => false,
                };
                _depends[node] = depends;
            }

            return depends;
        }

        private FormulaNode Derive(FormulaNode node) => node switch
        {
            NumberNode => Zero,
            SymbolNode s => s.Name == symbol ? One : Zero,
            UnaryNode u => u.Operator switch
            {
                UnaryOperator.Negate => Negate(Of(u.Operand)),
                UnaryOperator.Plus => Of(u.Operand),
                _ => Zero,
            },
            BinaryNode b => DeriveBinary(b),
            ConditionalNode c => Conditional(c.Test, Of(c.WhenTrue), Of(c.WhenFalse)),
            CallNode c => DeriveCall(c),
            _ => throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node)),
        };

        private FormulaNode DeriveBinary(BinaryNode b)
        {
            var (a, c) = (b.Left, b.Right);
            var da = Of(a);
            var dc = Of(c);
            return b.Operator switch
            {
                BinaryOperator.Add => Add(da, dc),
                BinaryOperator.Subtract => Subtract(da, dc),
                BinaryOperator.Multiply => Add(Multiply(da, c), Multiply(a, dc)),
                BinaryOperator.Divide => Subtract(Divide(da, c), Divide(Multiply(a, dc), Multiply(c, c))),
                BinaryOperator.Modulo => Subtract(da, Multiply(dc, Call("floor", new BinaryNode(BinaryOperator.Divide, a, c)))),
                BinaryOperator.Power => DerivePower(a, c, da, dc),
                // Python's `a and b` is a when a is falsy, else b; `a or b` is a when a is truthy, else b.
                BinaryOperator.And => Conditional(a, dc, da),
                BinaryOperator.Or => Conditional(a, da, dc),
                // Floor division and comparisons are piecewise constant.
                _ => Zero,
            };
        }

        private FormulaNode DerivePower(FormulaNode a, FormulaNode c, FormulaNode da, FormulaNode dc)
        {
            if (!DependsOn(c))
            {
                // c * a**(c-1) * da; this form stays defined for negative a with integer c.
                var exponent = c is NumberNode n ? Number(n.Value - 1) : Subtract(c, One);
                return Multiply(Multiply(c, Power(a, exponent)), da);
            }

            // a**c * (dc*log(a) + c*da/a)
            var power = new BinaryNode(BinaryOperator.Power, a, c);
            return Multiply(power, Add(Multiply(dc, Call("log", a)), Divide(Multiply(c, da), a)));
        }

        private FormulaNode DeriveCall(CallNode call)
        {
            var args = call.Arguments;
            switch (call.Function)
            {
                case "min" or "max":
                    return DeriveExtremum(call.Function, args);
                case "clip":
                    var clipped = Call("min", Call("max", args[0], args[1]), args[2]);
                    return Of(clipped);
                case "pow":
                    return DerivePower(args[0], args[1], Of(args[0]), Of(args[1]));
                case "floor" or "ceil":
                    return Zero;
            }

            var a = args[0];
            var da = Of(a);
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
        private FormulaNode DeriveExtremum(string function, IReadOnlyList<FormulaNode> args)
        {
            var op = function == "max" ? BinaryOperator.Greater : BinaryOperator.Less;
            FormulaNode best = args[0];
            var derivative = Of(best);
            for (var i = 1; i < args.Count; i++)
            {
                var challenger = args[i];
                derivative = Conditional(Compare(op, challenger, best), Of(challenger), derivative);
                best = Call(function, best, challenger);
            }

            return derivative;
        }
    }
}
