using ProcessOptimizer.Core.Formulas;
using static ProcessOptimizer.Core.Tests.Formulas.FormulaTestKit;

namespace ProcessOptimizer.Core.Tests.Formulas;

public class FormulaParserTests
{
    [Theory]
    [InlineData("-2**2", -4)]
    [InlineData("2**3**2", 512)]
    [InlineData("2**-1", 0.5)]
    [InlineData("(-2)**2", 4)]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("7 // 2", 3)]
    [InlineData("-7 // 2", -4)]
    [InlineData("-7 % 3", 2)]
    [InlineData("7 % -3", -2)]
    [InlineData("7.5 % 2", 1.5)]
    [InlineData("1 if 0 else 2", 2)]
    [InlineData("1 if 3 else 2", 1)]
    [InlineData("1 if 0 else 2 if 0 else 3", 3)]
    [InlineData("1 < 2 < 3", 1)]
    [InlineData("1 < 3 < 2", 0)]
    [InlineData("0 and 5", 0)]
    [InlineData("2 and 5", 5)]
    [InlineData("0 or 5", 5)]
    [InlineData("2 or 5", 2)]
    [InlineData("not 0", 1)]
    [InlineData("not 1 < 2", 0)]
    [InlineData("not 1 == 2 and 3", 3)]
    [InlineData("max(1, 5, 3)", 5)]
    [InlineData("min(4, -2, 3)", -2)]
    [InlineData("abs(-3) + pow(2, 3)", 11)]
    [InlineData("clip(5, 0, 2) + clip(-1, 0, 2)", 2)]
    [InlineData("floor(-1.5) + ceil(1.2)", 0)]
    [InlineData("log10(1000) + log(exp(2)) + sqrt(16)", 9)]
    [InlineData("1_000 + 1e3 + .5 + 2.", 2002.5)]
    [InlineData("True + False", 1)]
    [InlineData("tanh(0) + sin(0) + cos(0) + tan(0)", 1)]
    public void Parse_ConstantExpression_MatchesPython(string text, double expected)
    {
        Assert.Equal(expected, Eval(text), 12);
    }

    [Theory]
    [InlineData("a + * b", "unexpected '*'", 4)]
    [InlineData("max(a, b", "expected ')' or ',' to close '(' at column 4 but found end of formula", 8)]
    [InlineData("a +", "unexpected end of formula", 3)]
    [InlineData("foo(a)", "unknown function 'foo'", 0)]
    [InlineData("clip(a, b)", "clip() takes 3 arguments but was given 2", 0)]
    [InlineData("a $ b", "unexpected character '$'", 2)]
    [InlineData("a b", "unexpected 'b'", 2)]
    [InlineData("1 if a", "expected 'else' but found 'end of formula'", 6)]
    [InlineData("3x", "malformed number '3x'", 0)]
    [InlineData("x in y", "unexpected 'in'", 2)]
    [InlineData("lambda x", "'lambda' is not supported in formulas", 0)]
    public void Parse_Malformed_ReportsProblemAndPosition(string text, string problem, int position)
    {
        var error = Assert.Throws<FormulaSyntaxException>(() => FormulaParser.Parse(text));
        Assert.Equal(problem, error.Problem);
        Assert.Equal(position, error.Position);
        Assert.EndsWith($"at column {position + 1}", error.Message);
    }

    [Fact]
    public void Parse_SeedPenaltyFormula_KeepsStructure()
    {
        var node = FormulaParser.Parse("w * max(0, (a / t)) * max(0, -(b / u))");
        var product = Assert.IsType<BinaryNode>(node);
        Assert.Equal(BinaryOperator.Multiply, product.Operator);
        var right = Assert.IsType<CallNode>(product.Right);
        Assert.Equal("max", right.Function);
        Assert.IsType<UnaryNode>(right.Arguments[1]);
    }
}
