using ProcessOptimizer.Core.Cycle.Solving;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

public class FeasibleStartsTests
{
    [Fact]
    public void Of_TwoDecisions_IsTheStartTheCentreAndEveryCorner()
    {
        var starts = FeasibleStarts.Of([0.5, 1], [0, 0], [2, 4]).ToList();

        Assert.Equal([[0.5, 1], [1, 2], [0, 0], [2, 0], [0, 4], [2, 4]], starts);
    }

    [Fact]
    public void Of_FiveDecisions_StaysAtSixSpreadPoints()
    {
        var starts = FeasibleStarts.Of(new double[5], [-1, -1, -1, -1, -1], [1, 1, 1, 1, 1]).ToList();

        Assert.Equal(6, starts.Count);
        Assert.Contains([-1.0, -1, -1, -1, -1], starts);
        Assert.Contains([1.0, 1, 1, 1, 1], starts);
        Assert.Contains([-1.0, 1, -1, 1, -1], starts);
        Assert.Contains([1.0, -1, 1, -1, 1], starts);
    }

    [Fact]
    public void Of_UnboundedWindow_IsOnlyTheStart() =>
        Assert.Single(FeasibleStarts.Of([3], [double.NegativeInfinity], [4]));
}
