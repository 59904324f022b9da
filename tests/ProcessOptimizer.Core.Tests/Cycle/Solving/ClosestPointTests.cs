using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Cycle.Solving;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>The held minute's closest-point warning says what is true at that point, even when nothing there is finite.</summary>
public class ClosestPointTests
{
    [Fact]
    public void Describe_PointWhereTheStepsFail_NamesTheFailureNotNaN()
    {
        // What a search keeps when no point it reached evaluates: the excess is NaN and the failure says why.
        var failure = new CycleException(CycleFailure.Model, "skill 'im_g': model 'g.onnx' returned NaN for 'g'");
        var closest = new Evaluation([3, -1], double.NaN, double.NaN, double.NaN, null, failure);

        var text = ClosestPoint.Describe("os", ["x1", "x2"], closest);

        Assert.Equal("skill 'os': every value is held; no point the solves reached could be evaluated, the last kept being x1 = 3, x2 = -1, where the steps fail: skill 'im_g': model 'g.onnx' returned NaN for 'g'", text);
    }

    [Fact]
    public void Describe_NonFiniteConstraintValue_SaysWhichAndDoesNotCallItAMiss()
    {
        var closest = new Evaluation([2], 1, double.NaN, double.NaN, new ConstraintViolation("g1", double.NaN, 0, 1, double.NaN), null);

        var text = ClosestPoint.Describe("os", ["x1"], closest);

        Assert.DoesNotContain("misses", text, StringComparison.Ordinal);
        Assert.Equal("skill 'os': every value is held; at the closest point found, x1 = 2, a constraint value is not finite (NaN): 'g1' = NaN", text);
    }

    [Fact]
    public void Describe_FiniteMiss_GivesTheAmountAndTheMostViolated()
    {
        var closest = new Evaluation([1, 1], 5, 18, 18, new ConstraintViolation("g1", 2, 20, 1e20, 18), null);

        Assert.Equal("skill 'os': every value is held; the closest point found, x1 = 1, x2 = 1, misses the constraints by 18 (g1 = 2)", ClosestPoint.Describe("os", ["x1", "x2"], closest));
    }
}
