using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// Issue 12: whatever a cycle publishes belongs to the point it recommends, "success" is true, and convex
/// problems are solved at least as well as a brute-force grid. Each property runs a fixed seed (repeatable in
/// CI) and a fresh random one.
/// </summary>
public class AnswerPropertyTests
{
    private const string Seed = "(20261128,13)";

    [Property(MaxTest = 120, Replay = Seed)]
    public Property PublishedValues_AreAFreshEvaluationAtThePublishedDecisions_Seeded() => PublishedValuesBelongToThePoint();

    [Property(MaxTest = 40)]
    public Property PublishedValues_AreAFreshEvaluationAtThePublishedDecisions_Random() => PublishedValuesBelongToThePoint();

    [Property(MaxTest = 80, Replay = Seed)]
    public Property ConvexProblem_IsNoWorseThanTheGridAndNeverFalselyInfeasible_Seeded() => ConvexAnswersBeatTheGrid();

    [Property(MaxTest = 30)]
    public Property ConvexProblem_IsNoWorseThanTheGridAndNeverFalselyInfeasible_Random() => ConvexAnswersBeatTheGrid();

    private static Property PublishedValuesBelongToThePoint() =>
        Prop.ForAll(Arb.From(SmallProblems.Any), problem =>
        {
            var result = problem.Run();
            if (result.Status == CycleStatus.Error)
            {
                return false.Label($"error {result.Error}: {problem}");
            }

            var published = Published.From(problem, result);
            var (cost, constraints) = Published.Fresh(problem, published.X);
            var worst = problem.Constraints.Select((c, k) => Math.Max(0, Math.Max(c.Min - constraints[k], constraints[k] - c.Max))).DefaultIfEmpty(0).Max();
            var report = result.Solver.Single();
            var inWindows = published.X.Select((v, i) => problem.Window(i) is var (lo, hi) && v >= lo && v <= hi).All(ok => ok);
            var label = $"{result.Status} at [{string.Join(", ", published.X)}]: cost {published.Cost:R} vs fresh {cost:R}, "
                + $"constraints [{string.Join(", ", published.Constraints)}] vs [{string.Join(", ", constraints)}], "
                + $"objective {report.Objective:R}, violation {report.MaxConstraintViolation:R} vs {worst:R}; {problem}";
            return (published.Cost.Equals(cost)
                && published.Constraints.SequenceEqual(constraints)
                && report.Objective.Equals(cost)
                && report.MaxConstraintViolation.Equals(worst)
                && (result.Status != CycleStatus.Success || (inWindows && Published.Feasible(problem, constraints)))).Label(label);
        });

    private static Property ConvexAnswersBeatTheGrid() =>
        Prop.ForAll(Arb.From(SmallProblems.Any.Where(p => p.Convex)), problem =>
        {
            var best = Grid.Best(problem);
            if (best is null)
            {
                return true.Label("no feasible grid point");
            }

            var result = problem.Run();
            var label = $"{result.Status} cost {result.CostAtRecommended:R}, grid {best.Value.Cost:R} at [{string.Join(", ", best.Value.X)}]; {problem}";
            if (problem.Count <= 2 && result.Status == CycleStatus.Infeasible)
            {
                return false.Label("infeasible with a feasible grid point: " + label);
            }

            if (problem.MaxIterations < 1000)
            {
                return true.Label(label);
            }

            return (result.Status == CycleStatus.Success
                && result.CostAtRecommended <= best.Value.Cost + (1e-6 * Math.Max(1, Math.Abs(best.Value.Cost)))).Label(label);
        });
}
