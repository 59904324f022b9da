using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Tests.Formulas;

/// <summary>
/// Issue 19: a cycle skips the epigraph split when the formula's shape rules every term out. That is only sound if
/// the split then finds no term for any values of the fixed symbols: both signs and zero for each, here.
/// </summary>
public class ConvexTermShapesTests
{
    [Theory]
    // The seed's and the kiln's penalty: a product of two max terms that both move.
    [InlineData("w*max(0, x/u)*max(0, -(y/u))", false)]
    [InlineData("-x - y + w*max(0, x)*max(0, y)", false)]
    [InlineData("max(0, x)*max(0, y)", false)]
    [InlineData("(x - 3)**2 + w*y", false)]
    [InlineData("max(x, y)*abs(x)", false)]
    [InlineData("w*abs(x - 1) + (y - 2)**2", true)]
    [InlineData("-w*max(0, x - 1)", true)]
    [InlineData("max(abs(x - 1), abs(y - 2)) / u", true)]
    [InlineData("w*min(x, -abs(y - 2))", true)]
    [InlineData("max(0, x)*max(0, y) + abs(x)", true)]
    public void MayFindTerms_Formula_IsFalseOnlyWhenSplitFindsNoneForAnyValues(string text, bool expected)
    {
        var formula = FormulaParser.Parse(text);
        static bool Varies(string n) => n is "x" or "y";

        var may = ConvexTermShapes.MayFindTerms(formula, Varies);

        Assert.Equal(expected, may);
        if (!may)
        {
            foreach (var w in new[] { -2.5, -1, 0, 1, 2.5 })
            {
                foreach (var u in new[] { -3.0, 0.5, 4 })
                {
                    var (_, terms) = ConvexKinkSplitter.Split(formula, n => n == "w" ? w : n == "u" ? u : double.NaN, Varies);
                    Assert.Empty(terms);
                }
            }
        }
    }
}
