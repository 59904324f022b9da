using FsCheck;
using FsCheck.Fluent;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Tests.Formulas;

/// <summary>Random formula trees for property tests.</summary>
internal static class FormulaGenerators
{
    public static readonly string[] SmoothSymbols = ["x", "y", "z"];

    private static readonly Gen<FormulaNode> Symbol =
        Gen.Elements("x", "y_dof", "z_current", "w").Select(name => (FormulaNode)new SymbolNode(name));

    // Non-negative: the parser reads "-1" as negation applied to 1, a different tree.
    private static readonly Gen<FormulaNode> Number =
        Gen.OneOf(
            Gen.Choose(0, 1000).Select(i => (double)i),
            Gen.Choose(0, 1_000_000).Select(i => i / 997.0),
            Gen.Elements(1e-7, 2.5e12, 0.1, 1e300))
        .Select(v => (FormulaNode)new NumberNode(v));

    /// <summary>Any tree the parser can produce.</summary>
    public static Gen<FormulaNode> Any => Gen.Sized(size => AnyOfSize(Math.Min(size, 12)));

    /// <summary>Trees of smooth functions of x, y and z, with no poles on the reals.</summary>
    public static Gen<FormulaNode> Smooth => Gen.Sized(size => SmoothOfSize(Math.Min(size, 10)));

    private static Gen<FormulaNode> AnyOfSize(int size)
    {
        var leaf = Gen.OneOf(Symbol, Number);
        if (size <= 1)
        {
            return leaf;
        }

        var child = Gen.Sized(_ => AnyOfSize(size / 2));
        var unary = from op in Gen.Elements(Enum.GetValues<UnaryOperator>())
                    from operand in child
                    select (FormulaNode)new UnaryNode(op, operand);
        var binary = from op in Gen.Elements(Enum.GetValues<BinaryOperator>())
                     from left in child
                     from right in child
                     select (FormulaNode)new BinaryNode(op, left, right);
        var conditional = from test in child
                          from a in child
                          from b in child
                          select (FormulaNode)new ConditionalNode(test, a, b);
        var call = from function in Gen.Elements(Functions.All.ToArray())
                   from extra in Gen.Choose(0, 2)
                   let count = function.MaxArguments == int.MaxValue ? function.MinArguments + extra : function.MinArguments
                   from args in Gen.ListOf(child, count)
                   select (FormulaNode)new CallNode(function.Name, args.ToArray());
        return Gen.OneOf(leaf, unary, binary, binary, conditional, call);
    }

    private static Gen<FormulaNode> SmoothOfSize(int size)
    {
        var leaf = Gen.OneOf(
            Gen.Elements(SmoothSymbols).Select(n => (FormulaNode)new SymbolNode(n)),
            Gen.Choose(1, 30).Select(i => (FormulaNode)new NumberNode(i / 10.0)));
        if (size <= 1)
        {
            return leaf;
        }

        var child = Gen.Sized(_ => SmoothOfSize(size / 2));
        var binary = from op in Gen.Elements(BinaryOperator.Add, BinaryOperator.Subtract, BinaryOperator.Multiply)
                     from left in child
                     from right in child
                     select (FormulaNode)new BinaryNode(op, left, right);
        var quotient = from left in child
                       from right in child
                       select Parse($"({FormulaPrinter.Print(left)}) / (1 + ({FormulaPrinter.Print(right)})**2)");
        var unary = from template in Gen.Elements(
                        "sin({0})", "cos({0})", "tanh({0})", "exp(tanh({0}))", "sqrt(1 + ({0})**2)",
                        "log(1 + ({0})**2)", "({0})**3", "-({0})", "pow(2 + tanh({0}), 1.5)", "log10(2 + cos({0}))")
                    from operand in child
                    select Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, FormulaPrinter.Print(operand)));
        return Gen.OneOf(leaf, binary, binary, quotient, unary, unary);
    }

    private static FormulaNode Parse(string text) => FormulaParser.Parse(text);
}
