using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// A cycle publishes the same answer whether it starts cold or from what the loop kept of the previous minute
/// (issue 19's warm starts must not change the answer of issue 12). On strictly convex kinked problems the optimum is
/// unique, so the status, the decisions (within the solver's tolerance) and the cost must agree, and each published
/// cost must be a fresh evaluation at the published decisions.
/// </summary>
public class ColdWarmAgreementTests
{
    private const string Seed = "(20261129,23)";

    // Convex problems with kinks of both kinds: additive ones (solved as an epigraph) and products of max terms, as in
    // the seed's cost, which are fixed at a side per piece and enumerated by branch and bound. A pull of weight 3.5 on
    // every decision outweighs the products' curvature (weights up to 3), so every piece, and the whole, is strictly
    // convex: one optimum to agree on.
    private static readonly Gen<SmallProblem> StrictlyConvexKinked =
        from problem in SmallProblems.Any.Where(p => p.Convex && p.MaxIterations == 1000)
        from products in Gen.ArrayOf(Product(problem.Count), 1)
        from more in Gen.Elements(true, false)
        from extra in Gen.ArrayOf(Product(problem.Count), more ? 1 : 0)
        from pull in Gen.ArrayOf(Gen.Choose(-60, 60).Select(i => i / 10.0), problem.Count)
        select problem with
        {
            Cost = [.. problem.Cost, .. products, .. extra, .. pull.Select((p, i) => new Term($"3.5*(x{i + 1} - ({N(p)}))**2", x => 3.5 * (x[i] - p) * (x[i] - p)))],
        };

    // The previous minute the loop saw: the same problem one step of its move window away.
    private static readonly Gen<(SmallProblem Problem, SmallProblem Before)> WithPreviousMinute =
        from problem in StrictlyConvexKinked
        from step in Gen.ArrayOf(Gen.Choose(-10, 10).Select(i => i / 10.0), problem.Count)
        select (problem, problem with { Current = [.. problem.Current.Select((c, i) => Math.Clamp(c + (step[i] * problem.Threshold[i]), -SmallProblem.HardLimit, SmallProblem.HardLimit))] });

    [Property(MaxTest = 40, Replay = Seed)]
    public Property Run_ColdAndWarm_PublishTheSameFreshAnswer_Seeded() => ColdAndWarmAgree();

    [Property(MaxTest = 15)]
    public Property Run_ColdAndWarm_PublishTheSameFreshAnswer_Random() => ColdAndWarmAgree();

    private static Property ColdAndWarmAgree() =>
        Prop.ForAll(Arb.From(WithPreviousMinute), pair =>
        {
            var (problem, before) = pair;
            var cold = problem.Run();
            var sameMinute = problem.Run(cold.Next);
            var nextMinute = problem.Run(before.Run().Next);
            var problems = new[] { Disagreement(problem, cold, sameMinute, "the same minute warm"), Disagreement(problem, cold, nextMinute, "after the previous minute") }
                .Where(d => d is not null).ToList();
            return (problems.Count == 0).Label($"{string.Join("; ", problems)}; {problem}; before [{string.Join(", ", before.Current)}]");
        });

    private static string? Disagreement(SmallProblem problem, CycleResult cold, CycleResult warm, string how)
    {
        if (cold.Status != warm.Status)
        {
            return $"{how}: cold {cold.Status}, warm {warm.Status}; cold: {string.Join(" / ", cold.Warnings)}; warm: {string.Join(" / ", warm.Warnings)}";
        }

        var (c, w) = (Published.From(problem, cold), Published.From(problem, warm));
        foreach (var (published, which) in new[] { (c, "cold"), (w, "warm") })
        {
            var (fresh, constraints) = Published.Fresh(problem, published.X);
            if (!published.Cost.Equals(fresh) || !published.Constraints.SequenceEqual(constraints))
            {
                return $"{how}: {which} published cost {published.Cost:R} but a fresh evaluation at [{string.Join(", ", published.X)}] gives {fresh:R}";
            }
        }

        // The solver stops within its tolerance (1e-6), and where the cost is flat along a bound that is still active
        // (its multiplier near 0) that leaves a decision up to about the square root of it away: 1e-3 each way.
        var far = Enumerable.Range(0, problem.Count).Where(i => Math.Abs(c.X[i] - w.X[i]) > 2e-3 * Math.Max(1, Math.Abs(c.X[i]))).ToList();
        if (far.Count > 0 || Math.Abs(c.Cost - w.Cost) > 1e-6 * Math.Max(1, Math.Abs(c.Cost)))
        {
            return $"{how}: cold [{string.Join(", ", c.X)}] cost {c.Cost:R} ({Describe(cold)}), warm [{string.Join(", ", w.X)}] cost {w.Cost:R} ({Describe(warm)})";
        }

        return null;
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static Gen<Term> Product(int count) =>
        from i in Gen.Choose(0, count - 1)
        from j in Gen.Choose(0, count - 1)
        from a in Gen.Choose(1, 30).Select(v => v / 10.0)
        from p in Gen.Choose(-60, 60).Select(v => v / 10.0)
        from q in Gen.Choose(-60, 60).Select(v => v / 10.0)
        select new Term($"{N(a)}*max(0, x{i + 1} - ({N(p)}))*max(0, {N(q)} - x{j + 1})", x => a * Math.Max(0, x[i] - p) * Math.Max(0, q - x[j]));

    private static string Describe(CycleResult result) =>
        string.Join(" / ", result.Solver.Select(s => $"{s.Status}, {s.Iterations} iterations, {s.Solves} solves, {s.WarmStarts} warm").Concat(result.Warnings));
}
