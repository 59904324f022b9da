using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Tests.Formulas;

public class BranchFixerTests
{
    [Theory]
    [InlineData("w * max(0, a) * max(0, -b)", 2.0, 1.0, "(w * a) * 0", "(a - 0) >= 0; (0 - (-b)) >= 0")]
    [InlineData("abs(a - b)", 1.0, 3.0, "(-(a - b))", "(-(a - b)) >= 0")]
    [InlineData("a if a > b else b", 1.0, 3.0, "b", "(-(a - b)) >= 0")]
    [InlineData("min(a, b, 5)", 7.0, 6.0, "5", "((b - 5) >= 0); ((a - b) >= 0)")]
    public void Fix_KeepsActiveBranchAndItsCondition(string text, double a, double b, string expectedFixed, string expectedConditions)
    {
        var values = new Dictionary<string, double> { ["a"] = a, ["b"] = b, ["w"] = 3 };
        var (fixedNode, conditions) = BranchFixer.Fix(FormulaParser.Parse(text), n => values[n], n => n != "w");

        var symbol = (string n) => values[n];
        Assert.Equal(FormulaInterpreter.Evaluate(FormulaParser.Parse(text), symbol), FormulaInterpreter.Evaluate(fixedNode, symbol));
        Assert.All(conditions, c => Assert.True(FormulaInterpreter.Evaluate(c, symbol) >= 0, FormulaPrinter.Print(c)));
        Assert.Equal(Normalize(expectedFixed), Normalize(FormulaPrinter.Print(fixedNode)));
        Assert.Equal(expectedConditions.Split("; ").Length, conditions.Count);
    }

    [Fact]
    public void Fix_KinkBetweenConstants_NeedsNoCondition()
    {
        var (_, conditions) = BranchFixer.Fix(FormulaParser.Parse("max(w, 2) * a"), _ => 1, n => n == "a");
        Assert.Empty(conditions);
        Assert.False(BranchFixer.HasKinks(FormulaParser.Parse("max(w, 2) * a"), n => n == "a"));
        Assert.True(BranchFixer.HasKinks(FormulaParser.Parse("max(w, a)"), n => n == "a"));
    }

    private static string Normalize(string text) => FormulaPrinter.Print(FormulaParser.Parse(text));
}
