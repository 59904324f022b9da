using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// Answers on kinks, steps, poles and bounds: what a cycle publishes is checked against a fresh evaluation at its
/// point, and its status and warnings must say what is true there.
/// </summary>
public class HonestAnswerTests
{
    private static Term T(string text) => new(text, _ => double.NaN);

    private static Published Solve(SmallProblem problem)
    {
        var published = Published.From(problem, problem.Run());
        var (cost, constraints) = Published.Fresh(problem, published.X);
        Assert.Equal(cost, published.Cost);
        Assert.Equal(constraints, published.Constraints);
        return published;
    }

    private static string Report(Published answer) =>
        $"{answer.Result.Status} x=[{string.Join(", ", answer.X)}] cost {answer.Cost} / {string.Join(" / ", answer.Result.Warnings)}";

    [Fact]
    public void Run_SqrtMinimisedOnAWindowStartingAtZero_EndsOnTheBoundAndSaysItIsNotProven()
    {
        // The slope of sqrt is infinite at 0: IPOPT stops at x = 7e-15 (Error_In_Step_Computation), not on the bound.
        var answer = Solve(new SmallProblem([5], [5], [T("sqrt(x1)")], []));

        Assert.True(answer.Result.Status == CycleStatus.NotConverged, Report(answer));
        Assert.Equal(0, answer.X[0]);
        Assert.Equal(0, answer.Cost);
        Assert.Contains(answer.Result.Warnings, w => w.Contains("'x1' from 7.45", StringComparison.Ordinal) && w.Contains("onto its lower bound 0", StringComparison.Ordinal)
            && w.Contains("not proven optimal", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("x1**0.5", 0)]
    [InlineData("pow(x1, 0.3)", 0)]
    [InlineData("sqrt(x1) + x1", 0)]
    [InlineData("sqrt(10 - x1)", 10)]
    [InlineData("(10 - x1)**0.7", 10)]
    public void Run_InfiniteSlopeAtTheBound_EndsExactlyOnTheBound(string cost, double bound)
    {
        var answer = Solve(new SmallProblem([5], [5], [T(cost)], []));

        Assert.True(answer.Result.Status is CycleStatus.Success or CycleStatus.NotConverged, Report(answer));
        Assert.True(answer.X[0] == bound, Report(answer));
        Assert.True(answer.Result.Status == CycleStatus.Success || answer.Result.Warnings.Any(w => w.Contains("not proven optimal", StringComparison.Ordinal)), Report(answer));
    }

    [Theory]
    [InlineData("floor(x1)", "floor(x1)")]
    [InlineData("ceil(x1/2) + 0.01*x1", "ceil((x1 / 2))")]
    [InlineData("x1 // 2", "(x1 // 2)")]
    [InlineData("(x1 > 3)*5 - x1", "(x1 > 3)")]
    public void Run_StepFunctionInTheCost_WarnsThatTheOptimumIsLocal(string cost, string term)
    {
        // floor(x1) from 5 over [0.5, 9.5]: its slope is 0, so the solve stays at 5 although 0.5 costs 0.
        var problem = new SmallProblem([5], [4.5], [T(cost)], []);
        var answer = Solve(problem);

        Assert.Contains(answer.Result.Warnings, w => w.Contains($"{term} in skill 'mf_f' moves in steps with 'x1'", StringComparison.Ordinal)
            && w.Contains("slope is 0", StringComparison.Ordinal) && w.Contains("local optimum", StringComparison.Ordinal));
        var (_, problems) = StrategyLoader.Read(problem.Yaml());
        var warning = Assert.Single(problems, p => p.IsWarning);
        Assert.Equal(10, warning.Location?.Line);
        Assert.Contains($"skill 'mf_f': {term} at column ", warning.Message, StringComparison.Ordinal);
        Assert.Contains("moves in steps with 'x1'", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("floor(2.5) + (x1 - 1)**2")]
    [InlineData("(x1 - 1)**2 if x1 > 0 else x1**2")]
    public void Run_StepOverConstantsOrAKinkTest_NoStepWarning(string cost)
    {
        var problem = new SmallProblem([5], [4.5], [T(cost)], []);

        Assert.DoesNotContain(Solve(problem).Result.Warnings, w => w.Contains("moves in steps", StringComparison.Ordinal));
        Assert.DoesNotContain(StrategyLoader.Read(problem.Yaml()).Problems, p => p.IsWarning);
    }

    [Fact]
    public void Run_PoleInAConstraint_SaysNoFeasiblePointWasFoundNotThatNoneExists()
    {
        // 1/(x1 − 0.3) ≥ 5 holds on (0.3, 0.5]; from 0 the searches run into the pole's wrong side and never cross it.
        var answer = Solve(new SmallProblem([0], [5], [T("(x1 - 1)**2")], [new Constraint(T("1/(x1 - 0.3)"), 5, Constraint.None)]));

        Assert.Equal(CycleStatus.Infeasible, answer.Result.Status);
        Assert.Contains(answer.Result.Warnings, w => w.Contains("found none that meets them; these searches are local, so this is no proof that none exists", StringComparison.Ordinal));
        Assert.DoesNotContain(answer.Result.Warnings, w => w.Contains("no point within the move windows can meet", StringComparison.Ordinal));
    }
}
