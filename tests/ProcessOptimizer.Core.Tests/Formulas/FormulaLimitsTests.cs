using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Tests.Formulas;

/// <summary>
/// Issue 13: no formula can exhaust the stack. Each limit is tested at the limit, where the whole pipeline
/// (parse, value, gradient, Hessian) must work, and one past it, where parsing must refuse with a column.
/// </summary>
public class FormulaLimitsTests
{
    public static TheoryData<string, string> AtTheLimit => new()
    {
        { "parentheses", Parens(FormulaLimits.MaxDepth - 1) },
        { "sum chain", Chain("+", FormulaLimits.MaxDepth - 1) },
        { "unary minus", new string('-', FormulaLimits.MaxDepth - 1) + "x" },
        { "not", string.Concat(Enumerable.Repeat("not ", FormulaLimits.MaxDepth - 1)) + "x" },
        { "nested calls", Calls("floor", FormulaLimits.MaxDepth - 1) },
        { "nested conditionals", string.Concat(Enumerable.Repeat("x if x else ", FormulaLimits.MaxDepth - 1)) + "x" },
        { "nodes", Groups(FormulaLimits.MaxNodes) },
        { "length", "x" + new string(' ', FormulaLimits.MaxLength - 1) },
    };

    public static TheoryData<string, string, string> OnePast => new()
    {
        { "parentheses", Parens(FormulaLimits.MaxDepth), "nested more than 100 levels deep" },
        { "sum chain", Chain("+", FormulaLimits.MaxDepth), "nested more than 100 levels deep" },
        { "unary minus", new string('-', FormulaLimits.MaxDepth) + "x", "nested more than 100 levels deep" },
        { "not", string.Concat(Enumerable.Repeat("not ", FormulaLimits.MaxDepth)) + "x", "nested more than 100 levels deep" },
        { "power tower", string.Join(" ** ", Enumerable.Repeat("x", FormulaLimits.MaxDepth + 1)), "nested more than 100 levels deep" },
        { "nested calls", Calls("tanh", FormulaLimits.MaxDepth), "nested more than 100 levels deep" },
        { "nested conditionals", string.Concat(Enumerable.Repeat("x if x else ", FormulaLimits.MaxDepth)) + "x", "nested more than 100 levels deep" },
        { "nodes", Groups(FormulaLimits.MaxNodes + 2), "more than 1000 operations and operands" },
        { "length", "x" + new string(' ', FormulaLimits.MaxLength), "10001 characters long; the limit is 10000" },
        // What the issue measured: each killed the process.
        { "13,500 parentheses", Parens(13_500), "27001 characters long; the limit is 10000" },
        { "4,000 parentheses", Parens(4_000), "nested more than 100 levels deep" },
        { "15,000 terms", Chain("+", 14_999), "characters long" },
        { "2,000 terms", Chain("+", 1_999), "nested more than 100 levels deep" },
        // Within the depth limit, but their second derivatives would have millions of nodes.
        { "power tower", string.Join(" ** ", Enumerable.Repeat("x", FormulaLimits.MaxDepth)), "derivatives would compile to" },
        { "nested tanh", Calls("tanh", FormulaLimits.MaxDepth - 1), "derivatives would compile to" },
        { "product chain", Chain("*", FormulaLimits.MaxDepth - 1), "derivatives would compile to" },
        // The derivative of abs(u) names du twice, so each level doubles the tree but not the graph: deriving and
        // counting must take the graph's time (60 levels never ended), and the count must not overflow (99 levels).
        { "abs nested 30 deep", Calls("abs", 29, "x - 2"), "derivatives would compile to" },
        { "abs nested 60 deep", Calls("abs", 60, "x - 2"), "derivatives would compile to" },
        { "abs nested 98 deep", Calls("abs", FormulaLimits.MaxDepth - 2, "x - 2"), "would compile to more than" },
        // Two copies of such a nest are two graphs; comparing their derivatives node by node walked their trees.
        { "max of two abs nests", $"max({Calls("abs", 45, "x - 2")}, {Calls("abs", 45, "x - 2")})", "derivatives would compile to" },
        { "conditional of two abs nests", $"{Calls("abs", 45, "x - 2")} if x > 2 else {Calls("abs", 45, "x - 2")}", "derivatives would compile to" },
    };

    [Theory]
    [MemberData(nameof(AtTheLimit))]
    public void Compile_AtTheLimit_GivesValueGradientAndHessian(string what, string text)
    {
        var formula = FormulaTestKit.Compile(text);
        var arguments = new double[formula.Parameters.Count];
        Array.Fill(arguments, 0.5);

        var value = formula.Evaluate(arguments, new double[formula.DifferentiatedCount], new double[formula.HessianLength]);

        // Every other recursive pass over the tree runs too, and the interpreter agrees with the compiled delegate.
        Assert.Equal(FormulaInterpreter.Evaluate(formula.Syntax, _ => 0.5), value, 12);
        var bound = IntervalEvaluator.Evaluate(formula.Syntax, _ => new Interval(0.5, 0.5));
        Assert.True(bound.Low - 1e-9 <= value && value <= bound.High + 1e-9, $"{what}: {value} outside [{bound.Low}, {bound.High}]");
        Assert.NotEmpty(FormulaPrinter.Print(formula.Syntax));
    }

    [Fact]
    public void Compile_LargestProductUnderTheDerivativeBudget_HasExactDerivatives()
    {
        // x·x·…·x with k factors: its Hessian tree grows as k³, so some k is the last one under the budget.
        var k = 2;
        while (TryCompile(Chain("*", k)) is not null)
        {
            k++;
        }

        var error = Assert.Throws<FormulaSyntaxException>(() => FormulaTestKit.Compile(Chain("*", k)));
        var largest = TryCompile(Chain("*", k - 1))!;
        var (gradient, hessian) = (new double[1], new double[1]);
        var value = largest.Evaluate([0.9], gradient, hessian);

        // Far beyond any real formula, and exact: d/dx x^k = k·x^(k−1), d²/dx² = k(k−1)·x^(k−2).
        Assert.InRange(k, 40, FormulaLimits.MaxDepth);
        Assert.Contains($"the limit is {FormulaLimits.MaxDerivativeNodes}", error.Message);
        Assert.Equal(Math.Pow(0.9, k), value, 12);
        Assert.Equal(k * Math.Pow(0.9, k - 1), gradient[0], 10);
        Assert.Equal(k * (k - 1) * Math.Pow(0.9, k - 2), hessian[0], 8);
    }

    [Theory]
    [MemberData(nameof(OnePast))]
    public void Compile_OnePastTheLimit_IsASyntaxErrorWithAColumn(string what, string text, string message)
    {
        var error = Assert.Throws<FormulaSyntaxException>(() => FormulaTestKit.Compile(text));

        Assert.True(error.Problem.Contains(message, StringComparison.Ordinal), $"{what}: {error.Message}");
        Assert.InRange(error.Position, 0, text.Length);
        Assert.Contains($"at column {error.Position + 1}", error.Message);
    }

    private static CompiledFormula? TryCompile(string text)
    {
        try
        {
            return FormulaTestKit.Compile(text);
        }
        catch (FormulaSyntaxException)
        {
            return null;
        }
    }

    private static string Parens(int depth) => new string('(', depth) + "x" + new string(')', depth);

    private static string Chain(string op, int operators) => string.Join($" {op} ", Enumerable.Repeat("x", operators + 1));

    private static string Calls(string function, int depth, string inner = "x") =>
        string.Concat(Enumerable.Repeat(function + "(", depth)) + inner + new string(')', depth);

    // A sum of groups of sums, shallow enough that only the node count matters: 2·terms − 1 nodes.
    private static string Groups(int nodes)
    {
        var terms = (nodes + 1) / 2;
        return string.Join(" + ", Enumerable.Range(0, terms).Chunk(50).Select(g => "(" + string.Join(" + ", g.Select(i => $"x{i % 7}")) + ")"));
    }
}
