using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// Issue 19: an infeasible minute costs about what a feasible one does when the move windows provably hold no point
/// that meets the constraints, and what is published does not change: the status, the hold, the closest point and the
/// most violated constraint, cold or warm, whatever came before.
/// </summary>
public class InfeasibleMinuteTests
{
    private const string Proof = "no point within the move windows can meet the constraints";

    // A product of max terms, so the kinks are enumerated as pieces, as in the seed's cost.
    private static readonly Term KinkedCost = new("max(0, x1 - 3)*max(0, 1 - x2) + x2**2 + (x1 - 2)**2", x => (Math.Max(0, x[0] - 3) * Math.Max(0, 1 - x[1])) + (x[1] * x[1]) + ((x[0] - 2) * (x[0] - 2)));

    private static readonly Term Sum = new("x1 + x2", x => x[0] + x[1]);

    [Fact]
    public void Run_ConstraintOutOfReachOfTheWholeWindow_ProvedAndWarmTakesOneSolveForTheClosestPoint()
    {
        // x1 + x2 ≥ 20 with both moves within ±1 of 0: the sum reaches 2 at most, at (1, 1), 18 short.
        var problem = new SmallProblem([0, 0], [1, 1], [KinkedCost], [new Constraint(Sum, 20, Constraint.None)]);
        var cold = problem.Run();
        var result = problem.Run(cold.Next);

        // Cold, the pieces are solved first (a feasible minute never pays for a proof); warm after an infeasible
        // minute, the proof comes first and the one solve is for the closest point.
        Assert.Contains(cold.Warnings, w => w.Contains(Proof, StringComparison.Ordinal));
        Assert.Equal(0, cold.Solver.Single().Starts);
        AssertSamePublished(cold, result, "the same minute warm");
        Assert.Equal(CycleStatus.Infeasible, result.Status);
        Assert.Equal("g1", result.MostViolated?.Variable);
        var report = result.Solver.Single();
        Assert.Equal(1, report.Solves);
        Assert.Equal(0, report.Starts);
        Assert.Contains(result.Warnings, w => w.Contains(Proof, StringComparison.Ordinal) && w.Contains("'g1' stays within -2–2 against 20–", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("the closest point found, x1 = 1, x2 = 1, misses the constraints by 18", StringComparison.Ordinal));
        Assert.All(result.Variables.Where(v => v.Name is "x1" or "x2"), v => Assert.Equal(0, v.Recommended));
    }

    [Fact]
    public void Run_InfeasibleOnlyOnSomeKinkPieces_NoProofAndTheFeasiblePieceWins()
    {
        // The pieces with x1 ≥ 3 cannot meet x1 ≤ 1, the others can: the windows as a whole hold feasible points, so
        // nothing may be proved, and the optimum (1, 0) of the feasible pieces is found.
        var result = new SmallProblem([0, 0], [5, 5], [KinkedCost], [new Constraint(new Term("x1", x => x[0]), -Constraint.None, 1)]).Run();

        Assert.Equal(CycleStatus.Success, result.Status);
        Assert.DoesNotContain(result.Warnings, w => w.Contains(Proof, StringComparison.Ordinal));
        Assert.Equal(1, result.Variables.Single(v => v.Name == "x1").Recommended, 6);
        Assert.Equal(0, result.Variables.Single(v => v.Name == "x2").Recommended, 6);
    }

    [Fact]
    public void Run_InfeasibleBeyondWhatIntervalsShow_StillTriesEveryStart()
    {
        // 10⁶·(x1·x2 − x2·x1) + x1 is x1, at most 1, short of [5, 6]; interval arithmetic sees the difference as a
        // range 10⁶ times as wide as the box, so no box of the budget excludes it: the cycle gets there the long way.
        var result = new SmallProblem([0, 0], [1, 1], [KinkedCost], [new Constraint(new Term("1000000*(x1*x2 - x2*x1) + x1", x => x[0]), 5, 6)]).Run();

        Assert.True(CycleStatus.Infeasible == result.Status, $"{result.Status} {result.Error} {string.Join(" / ", result.Warnings)}");
        Assert.DoesNotContain(result.Warnings, w => w.Contains(Proof, StringComparison.Ordinal));
        Assert.True(result.Solver.Single().Starts > 1, $"{result.Solver.Single().Starts} starts");
    }

    [Fact]
    public void Run_MinutesAlternatingFeasibleAndInfeasible_WarmPublishesWhatColdDoes()
    {
        // x1 + x2 ≥ 3 within ±1 of the current values: reachable from (1, 1), out of reach from (−1, −1).
        double[][] minutes = [[1, 1], [1.2, 1], [-1, -1], [-1.5, -1], [1.5, 1.5], [-1, 0], [0.6, 0.5], [0.8, 0.9], [-2, -2]];
        CycleWarmStart? previous = null;
        var (proven, warmStarted) = (0, 0);
        foreach (var current in minutes)
        {
            var problem = new SmallProblem(current, [1, 1], [KinkedCost], [new Constraint(Sum, 3, Constraint.None)]);
            var cold = problem.Run();
            var warm = problem.Run(previous);
            previous = warm.Next;

            AssertSamePublished(cold, warm, $"minute at [{string.Join(", ", current)}]");
            proven += warm.Warnings.Count(w => w.Contains(Proof, StringComparison.Ordinal));
            warmStarted += warm.Solver.Sum(s => s.WarmStarts);
        }

        Assert.Equal(4, proven);
        Assert.True(warmStarted > 0, "no solve started from the previous minute");
    }

    [Fact]
    public void Run_WarmStateOfAnotherVersion_PublishesWhatColdDoes()
    {
        // The loop drops its state on a version switch; a state that does not fit (another shape, an infeasible cycle
        // of another problem) must not change the answer either, feasible or not.
        var other = new SmallProblem([0, 0, 0], [1, 1, 1], [new Term("x1**2 + x2**2 + x3**2", _ => 0)], [new Constraint(new Term("x1 + x2 + x3", _ => 0), 50, Constraint.None)]).Run();
        Assert.True(other.Next is { WasInfeasible: true });

        foreach (var current in new[] { new double[] { 1.2, 1 }, [-1, -1] })
        {
            var problem = new SmallProblem(current, [1, 1], [KinkedCost], [new Constraint(Sum, 3, Constraint.None)]);
            AssertSamePublished(problem.Run(), problem.Run(other.Next), $"minute at [{string.Join(", ", current)}] after another version");
        }
    }

    [Property(MaxTest = 150, Replay = "(20261129,19)")]
    public Property Run_ProvedInfeasible_NoGridPointMeetsTheConstraints_Seeded() => ProofIsTrue();

    [Property(MaxTest = 60)]
    public Property Run_ProvedInfeasible_NoGridPointMeetsTheConstraints_Random() => ProofIsTrue();

    private static Property ProofIsTrue() =>
        Prop.ForAll(Arb.From(SmallProblems.Any.Where(p => p.Constraints.Length > 0)), problem =>
        {
            var result = problem.Run();
            if (!result.Warnings.Any(w => w.Contains(Proof, StringComparison.Ordinal)))
            {
                return true.Label("no proof");
            }

            // Any grid point that meets every constraint exactly refutes the proof.
            return (result.Status == CycleStatus.Infeasible && Grid.Best(problem) is null).Label($"{result.Status}, grid {Grid.Best(problem)?.Cost}; {problem}");
        });

    private static void AssertSamePublished(CycleResult cold, CycleResult warm, string where)
    {
        Assert.True(cold.Status == warm.Status, $"{where}: cold {cold.Status}, warm {warm.Status}; cold: {string.Join(" / ", cold.Warnings)}; warm: {string.Join(" / ", warm.Warnings)}");
        foreach (var (c, w) in cold.Variables.Zip(warm.Variables))
        {
            Assert.True(Math.Abs(c.Recommended - w.Recommended) <= 1e-5 * Math.Max(1, Math.Abs(c.Recommended)), $"{where}, {c.Name}: cold {c.Recommended:R}, warm {w.Recommended:R}");
        }

        Assert.Equal(cold.MostViolated?.Variable, warm.MostViolated?.Variable);
        Assert.Equal(cold.MostViolated?.Amount ?? 0, warm.MostViolated?.Amount ?? 0, 6);
        Assert.Equal(cold.Warnings.FirstOrDefault(w => w.Contains("closest point", StringComparison.Ordinal)), warm.Warnings.FirstOrDefault(w => w.Contains("closest point", StringComparison.Ordinal)));
    }
}
