using System.Linq.Expressions;
using System.Reflection;

namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// Compiles formula trees to delegates through expression trees. The value is computed with Python's
/// checked semantics; derivatives come from <see cref="Differentiator"/> and use plain IEEE arithmetic.
/// </summary>
public static class FormulaCompiler
{
    private static readonly ParameterExpression Arguments = Expression.Parameter(typeof(double[]), "arguments");
    private static readonly ParameterExpression Gradient = Expression.Parameter(typeof(double[]), "gradient");
    private static readonly ParameterExpression Hessian = Expression.Parameter(typeof(double[]), "hessian");

    /// <summary>Compiles <paramref name="syntax"/> over <paramref name="parameters"/>.</summary>
    /// <param name="text">The source text, kept for messages.</param>
    /// <param name="syntax">A tree whose symbols are all in <paramref name="parameters"/>.</param>
    /// <param name="parameters">Argument slot names; the first <paramref name="differentiatedCount"/> get derivatives.</param>
    /// <param name="differentiatedCount">How many leading parameters to differentiate with respect to.</param>
    /// <exception cref="ArgumentException">A symbol is not a parameter.</exception>
    /// <exception cref="FormulaSyntaxException">The formula and its derivatives exceed <see cref="FormulaLimits.MaxDerivativeNodes"/>.</exception>
    /// <param name="maxNodes">Most nodes the value and its derivatives may compile to.</param>
    public static CompiledFormula Compile(string text, FormulaNode syntax, IReadOnlyList<string> parameters, int differentiatedCount, long maxNodes = FormulaLimits.MaxDerivativeNodes)
    {
        var slots = parameters.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        var emitter = new Emitter(slots);
        var value = emitter.Emit(syntax, checkedMath: true);
        var firstDerivatives = Enumerable.Range(0, differentiatedCount)
            .Select(i => Differentiator.Derive(syntax, parameters[i]))
            .ToArray();

        // Second derivatives are built now, compiled on first use: a formula too large to differentiate twice
        // is refused where it is loaded, not in the middle of a solve.
        var second = new FormulaNode[differentiatedCount * (differentiatedCount + 1) / 2];
        for (var i = 0; i < differentiatedCount; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                second[CompiledFormula.HessianIndex(i, j)] = Differentiator.Derive(firstDerivatives[i], parameters[j]);
            }
        }

        var nodes = FormulaLimits.CheckCompiledSize([syntax, .. firstDerivatives, .. second], Math.Min(maxNodes, FormulaLimits.MaxDerivativeNodes));
        var valueDelegate = Expression.Lambda<Func<double[], double>>(value, Arguments).Compile();
        var gradientDelegate = Expression.Lambda<Func<double[], double[], double>>(
            WithDerivatives(emitter, value, Gradient, firstDerivatives), Arguments, Gradient).Compile();

        Func<double[], double[], double[], double> CompileHessian()
        {
            var body = WithDerivatives(emitter, value, Gradient, firstDerivatives, (Hessian, second));
            return Expression.Lambda<Func<double[], double[], double[], double>>(body, Arguments, Gradient, Hessian).Compile();
        }

        // A derivative that simplified to the constant 0 is zero everywhere: the chain rule leaves it out of the structure.
        return new CompiledFormula(text, syntax, parameters, differentiatedCount, valueDelegate, gradientDelegate, CompileHessian)
        {
            CompiledNodes = nodes,
            GradientStructure = [.. firstDerivatives.Select(d => !Build.IsZero(d))],
            HessianStructure = [.. second.Select(d => !Build.IsZero(d))],
        };
    }

    // The value is computed first, so a domain error surfaces before any derivative is written.
    private static BlockExpression WithDerivatives(
        Emitter emitter,
        Expression value,
        ParameterExpression gradient,
        FormulaNode[] derivatives,
        (ParameterExpression Target, FormulaNode[] Nodes)? second = null)
    {
        var result = Expression.Variable(typeof(double), "value");
        var body = new List<Expression> { Expression.Assign(result, value) };
        void Store(ParameterExpression target, FormulaNode[] nodes)
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                body.Add(Expression.Assign(Expression.ArrayAccess(target, Expression.Constant(i)), emitter.Emit(nodes[i], checkedMath: false)));
            }
        }

        Store(gradient, derivatives);
        if (second is { } s)
        {
            Store(s.Target, s.Nodes);
        }

        body.Add(result);
        return Expression.Block([result], body);
    }

    private sealed class Emitter(Dictionary<string, int> slots)
    {
        private static readonly Type MathType = typeof(Math);
        private static readonly Type PythonType = typeof(PythonMath);

        public Expression Emit(FormulaNode node, bool checkedMath) => node switch
        {
            NumberNode n => Expression.Constant(n.Value),
            SymbolNode s => slots.TryGetValue(s.Name, out var slot)
                ? Expression.ArrayIndex(Arguments, Expression.Constant(slot))
                : throw new ArgumentException($"symbol '{s.Name}' is not a parameter", nameof(node)),
            UnaryNode u => u.Operator switch
            {
                UnaryOperator.Negate => Expression.Negate(Emit(u.Operand, checkedMath)),
                UnaryOperator.Plus => Emit(u.Operand, checkedMath),
                _ => Truth(Expression.Equal(Emit(u.Operand, checkedMath), Expression.Constant(0.0))),
            },
            BinaryNode b => EmitBinary(b, checkedMath),
            ConditionalNode c => Expression.Condition(IsTruthy(Emit(c.Test, checkedMath)), Emit(c.WhenTrue, checkedMath), Emit(c.WhenFalse, checkedMath)),
            CallNode c => EmitCall(c, checkedMath),
            _ => throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node)),
        };

        private Expression EmitBinary(BinaryNode b, bool checkedMath)
        {
            var left = Emit(b.Left, checkedMath);
            var right = Emit(b.Right, checkedMath);
            return b.Operator switch
            {
                BinaryOperator.Add => Expression.Add(left, right),
                BinaryOperator.Subtract => Expression.Subtract(left, right),
                BinaryOperator.Multiply => Expression.Multiply(left, right),
                BinaryOperator.Divide => checkedMath ? Checked(nameof(PythonMath.CheckedDivide), b, left, right) : Expression.Divide(left, right),
                BinaryOperator.FloorDivide => checkedMath
                    ? Checked(nameof(PythonMath.CheckedFloorDivide), b, left, right)
                    : Call(MathType, nameof(Math.Floor), Expression.Divide(left, right)),
                BinaryOperator.Modulo => checkedMath ? Checked(nameof(PythonMath.CheckedModulo), b, left, right) : Call(PythonType, nameof(PythonMath.Modulo), left, right),
                BinaryOperator.Power => checkedMath ? Checked(nameof(PythonMath.CheckedPower), b, left, right) : Call(MathType, nameof(Math.Pow), left, right),
                BinaryOperator.Less => Truth(Expression.LessThan(left, right)),
                BinaryOperator.LessOrEqual => Truth(Expression.LessThanOrEqual(left, right)),
                BinaryOperator.Greater => Truth(Expression.GreaterThan(left, right)),
                BinaryOperator.GreaterOrEqual => Truth(Expression.GreaterThanOrEqual(left, right)),
                BinaryOperator.Equal => Truth(Expression.Equal(left, right)),
                BinaryOperator.NotEqual => Truth(Expression.NotEqual(left, right)),
                BinaryOperator.And => ShortCircuit(left, right, whenTruthyTakeRight: true),
                BinaryOperator.Or => ShortCircuit(left, right, whenTruthyTakeRight: false),
                _ => throw new ArgumentOutOfRangeException(nameof(b)),
            };
        }

        private Expression EmitCall(CallNode c, bool checkedMath)
        {
            var args = c.Arguments.Select(a => Emit(a, checkedMath)).ToArray();
            switch (c.Function)
            {
                case "max" or "min":
                    var name = c.Function == "max" ? nameof(PythonMath.Max) : nameof(PythonMath.Min);
                    return args.Skip(1).Aggregate(args[0], (acc, next) => Call(PythonType, name, acc, next));
                case "clip":
                    return Call(PythonType, nameof(PythonMath.Min), Call(PythonType, nameof(PythonMath.Max), args[0], args[1]), args[2]);
                case "pow":
                    return checkedMath ? Checked(nameof(PythonMath.CheckedPower), c, args[0], args[1]) : Call(MathType, nameof(Math.Pow), args[0], args[1]);
                case "log" when checkedMath:
                    return Checked(nameof(PythonMath.CheckedLog), c, args[0]);
                case "log10" when checkedMath:
                    return Checked(nameof(PythonMath.CheckedLog10), c, args[0]);
                case "sqrt" when checkedMath:
                    return Checked(nameof(PythonMath.CheckedSqrt), c, args[0]);
            }

            var method = c.Function switch
            {
                "abs" => nameof(Math.Abs),
                "exp" => nameof(Math.Exp),
                "log" => nameof(Math.Log),
                "log10" => nameof(Math.Log10),
                "sqrt" => nameof(Math.Sqrt),
                "sin" => nameof(Math.Sin),
                "cos" => nameof(Math.Cos),
                "tan" => nameof(Math.Tan),
                "tanh" => nameof(Math.Tanh),
                "floor" => nameof(Math.Floor),
                "ceil" => nameof(Math.Ceiling),
                _ => throw new ArgumentException($"unknown function {c.Function}", nameof(c)),
            };
            return Call(MathType, method, args[0]);
        }

        private static ConditionalExpression Truth(Expression test) =>
            Expression.Condition(test, Expression.Constant(1.0), Expression.Constant(0.0));

        // NaN is truthy in Python, as in `x != 0`.
        private static BinaryExpression IsTruthy(Expression value) => Expression.NotEqual(value, Expression.Constant(0.0));

        private static BlockExpression ShortCircuit(Expression left, Expression right, bool whenTruthyTakeRight)
        {
            var first = Expression.Variable(typeof(double), "first");
            var truthy = IsTruthy(first);
            var choice = whenTruthyTakeRight
                ? Expression.Condition(truthy, right, first)
                : Expression.Condition(truthy, first, right);
            return Expression.Block([first], Expression.Assign(first, left), choice);
        }

        private static MethodCallExpression Checked(string method, FormulaNode node, params Expression[] args) =>
            Call(PythonType, method, [.. args, Expression.Constant(node.Position)]);

        private static MethodCallExpression Call(Type type, string method, params Expression[] args)
        {
            var types = args.Select(a => a.Type).ToArray();
            var info = type.GetMethod(method, BindingFlags.Public | BindingFlags.Static, types)
                ?? throw new MissingMethodException(type.Name, method);
            return Expression.Call(info, args);
        }
    }
}
