using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Tests.Formulas;

public class ConvexKinkSplitterTests
{
    private const string SixAbs = "abs(x - 1) + abs(x - 2) + abs(x - 3) + abs(x - 4) + abs(x - 5) + abs(x - 6)";

    [Theory]
    [InlineData("max(abs(x - 1), abs(x - 2), abs(x - 1.5))", 1, 6)]
    [InlineData("max(0, abs(x - 1) + abs(2*x + 1) - 3)", 1, 4)]
    [InlineData("w*max(abs(x), 2*abs(x - 1)/w) + (x - 3)**2", 1, 4)]
    [InlineData("-w*min(x, -abs(x - 2)) - 3*min(-x, 1 - x)", 2, 5)]
    [InlineData("max(0, " + SixAbs + " - 1)", 0, 0)]
    [InlineData(SixAbs, 6, 12)]
    [InlineData("max(0, x - 1)*max(0, 1 - x) - max(abs(x), 1) + abs(abs(x) - 1)", 0, 0)]
    public void Split_TermsAndRest_AddUpToTheFormulaEverywhere(string text, int terms, int rows)
    {
        var formula = FormulaParser.Parse(text);
        var w = 1.5;
        var (rest, split) = ConvexKinkSplitter.Split(formula, n => n == "w" ? w : double.NaN, n => n == "x");

        Assert.Equal(terms, split.Count);
        Assert.Equal(rows, split.Sum(t => t.Rows.Count));
        for (var x = -4.0; x <= 8; x += 0.37)
        {
            var at = x;
            double Symbol(string n) => n == "w" ? w : at;
            var epigraph = split.Sum(t => t.Weight * t.Rows.Select(r => FormulaInterpreter.Evaluate(r, Symbol)).Append(t.Floor).Max());
            Assert.Equal(FormulaInterpreter.Evaluate(formula, Symbol), FormulaInterpreter.Evaluate(rest, Symbol) + epigraph, 9);
        }
    }
}
