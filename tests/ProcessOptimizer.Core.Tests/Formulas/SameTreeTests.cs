using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Tests.Formulas;

/// <summary>Folding a conditional whose branches are the same tree: the records' equality, within a budget.</summary>
public class SameTreeTests
{
    [Theory]
    [InlineData("max(x, y) + sin(x) * -y", "max(x, y) + sin(x) * -y", true)]
    [InlineData("x if y > 0 else 2", "x if y > 0 else 2", true)]
    [InlineData("max(x, y)", "max(x, y, 1)", false)]
    [InlineData("max(x, y)", "min(x, y)", false)]
    [InlineData("x - y", "x + y", false)]
    [InlineData("x * 2", "x * 3", false)]
    [InlineData("-x", "+x", false)]
    public void SameTree_ParsedTwice_AgreesWithTheRecordsEquality(string a, string b, bool same)
    {
        var (first, second) = (FormulaParser.Parse(a), FormulaParser.Parse(b));

        Assert.Equal(same, Build.SameTree(first, second));
        Assert.Equal(first.Equals(second), Build.SameTree(first, second));
    }

    [Fact]
    public void SameTree_EqualGraphsWhoseTreesPassTheBudget_CountAsDifferent()
    {
        // Each level names the one below twice: 2^20 leaves in 21 nodes, built twice so nothing is shared.
        FormulaNode Doubling() => Enumerable.Range(0, 20).Aggregate<int, FormulaNode>(new SymbolNode("x"), (below, _) => new BinaryNode(BinaryOperator.Add, below, below));

        Assert.False(Build.SameTree(Doubling(), Doubling()));
        Assert.True(Build.SameTree(new SymbolNode("x"), new SymbolNode("x")));
    }
}
