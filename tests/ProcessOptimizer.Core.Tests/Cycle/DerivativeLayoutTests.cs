using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Core.Tests.Cycle;

public class DerivativeLayoutTests
{
    // Slots 0..n-1 are the decisions, n their sum, n + 1 the sum squared.
    private static (int[] Decisions, List<(int[] Outputs, LocalDerivatives Local)> Evaluables) SquaredSum(int n)
    {
        var decisions = Enumerable.Range(0, n).ToArray();
        var sum = new LocalDerivatives([.. decisions.Select(i => new ChainTerm(0, i, -1, i))], []);
        var square = new LocalDerivatives([new ChainTerm(0, n, -1, 0)], [new ChainTerm(0, n, n, 0)]);
        return (decisions, [([n], sum), ([n + 1], square)]);
    }

    [Fact]
    public void Build_SquaredSum_HasTheFullTriangleOnlyWhereTheSquareIs()
    {
        var (decisions, evaluables) = SquaredSum(3);

        var layout = DerivativeLayout.Build(5, decisions, evaluables, second: true);

        Assert.Equal([0, 1, 2], layout.Columns[3]);
        Assert.Empty(layout.Entries[3]);
        Assert.Equal([(0, 0), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2)], layout.Entries[4].Select(DerivativeLayout.Entry));
        Assert.Equal([0], layout.Columns[0]);
    }

    [Fact]
    public void Build_StructureAboveTheLimit_IsRefusedAsASolverFailureNamingTheLimit()
    {
        // 100 decisions in one square: 5,050 Hessian entries against a limit of 1,000.
        var (decisions, evaluables) = SquaredSum(100);

        var error = Assert.Throws<CycleException>(() => DerivativeLayout.Build(102, decisions, evaluables, second: true, maxEntries: 1_000));

        Assert.Equal(CycleFailure.Solver, error.Failure);
        Assert.Contains("over 100 decision variables would hold more than 1,000 structural non-zeros", error.Message, StringComparison.Ordinal);
    }
}
