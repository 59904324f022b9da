using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// Random <see cref="SmallProblem"/>s: convex or not, smooth or kinked (abs, max(0, ·), min(0, ·), products of
/// max terms as in the seed's cost), with linear, disc or ring constraints and any iteration limit.
/// </summary>
internal static class SmallProblems
{
    private static readonly Gen<double> Weight = Gen.Choose(1, 30).Select(i => i / 10.0);
    private static readonly Gen<double> Position = Gen.Choose(-60, 60).Select(i => i / 10.0);
    private static readonly Gen<double> Slope = Gen.Elements(-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0);

    public static Gen<SmallProblem> Any { get; } =
        from count in Gen.Choose(1, 3)
        from convex in Gen.Elements(true, false)
        from kinked in Gen.Elements(true, true, false)
        from current in Gen.ArrayOf(Position, count)
        from threshold in Gen.ArrayOf(Gen.Choose(5, 50).Select(i => i / 10.0), count)
        from termCount in Gen.Choose(1, 6)
        from cost in Gen.ArrayOf(CostTerm(count, convex, kinked), termCount)
        from constraintCount in Gen.Frequency((3, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Constant(2)))
        from constraints in Gen.ArrayOf(ConstraintRow(count, convex, current), constraintCount)
        from maxIterations in Gen.Frequency((5, Gen.Constant(1000)), (3, Gen.Choose(2, 40)), (2, Gen.Choose(2, 1000)))
        select new SmallProblem(current, threshold, cost, constraints) { MaxIterations = maxIterations, Convex = convex };

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // "x1 - 2.5" or "x1 + 2.5", so that no formula holds "- -".
    private static string Shift(int i, double p) => p >= 0 ? $"x{i + 1} - {N(p)}" : $"x{i + 1} + {N(-p)}";

    private static Gen<Term> CostTerm(int count, bool convex, bool kinked)
    {
        var index = Gen.Choose(0, count - 1);
        var smooth = new List<Gen<Term>>
        {
            from i in index from a in Weight from p in Position
            select new Term($"{N(a)}*({Shift(i, p)})**2", x => a * (x[i] - p) * (x[i] - p)),
            from i in index from b in Slope
            select new Term($"{N(b)}*x{i + 1}", x => b * x[i]),
        };
        var kinks = new List<Gen<Term>>
        {
            from i in index from k in Weight from p in Position
            select new Term($"{N(k)}*abs({Shift(i, p)})", x => k * Math.Abs(x[i] - p)),
            from i in index from k in Weight from p in Position
            select new Term($"{N(k)}*max(0, {Shift(i, p)})", x => k * Math.Max(0, x[i] - p)),
            from i in index from k in Weight from p in Position
            select new Term($"{N(k)}*max({N(p)} - x{i + 1}, 0)", x => k * Math.Max(p - x[i], 0)),
            from i in index from k in Weight from p in Position
            select new Term($"(-{N(k)})*min(0, {Shift(i, p)})", x => -k * Math.Min(0, x[i] - p)),
            from i in index from j in index from k in Weight from p in Position
            select new Term($"{N(k)}*abs(x{i + 1} - x{j + 1} + {N(p)})", x => k * Math.Abs(x[i] - x[j] + p)),
        };
        var nonconvex = new List<Gen<Term>>
        {
            from i in index from a in Weight from p in Position
            select new Term($"(-{N(a)})*({Shift(i, p)})**2", x => -a * (x[i] - p) * (x[i] - p)),
            from i in index from a in Weight
            select new Term($"{N(a)}*cos(x{i + 1})", x => a * Math.Cos(x[i])),
        };
        var nonconvexKinks = new List<Gen<Term>>
        {
            from i in index from k in Weight from p in Position
            select new Term($"(-{N(k)})*abs({Shift(i, p)})", x => -k * Math.Abs(x[i] - p)),
            from i in index from j in index from a in Weight from p in Position from q in Position
            select new Term($"{N(a)}*max(0, {Shift(i, p)})*max(0, {N(q)} - x{j + 1})", x => a * Math.Max(0, x[i] - p) * Math.Max(0, q - x[j])),
        };
        var choices = smooth.Concat(kinked ? kinks : []).Concat(convex ? [] : nonconvex).Concat(convex || !kinked ? [] : nonconvexKinks);
        return Gen.OneOf(choices);
    }

    private static Gen<Constraint> ConstraintRow(int count, bool convex, double[] current)
    {
        var index = Gen.Choose(0, count - 1);
        var linear =
            from slopes in Gen.ArrayOf(Slope, count)
            from shift in Gen.Choose(-60, 60).Select(s => s / 10.0)
            from width in Gen.Choose(0, 40).Select(w => w / 10.0)
            from sides in Gen.Choose(0, 2)
            let g = new Term(string.Join(" + ", slopes.Select((c, i) => $"{N(c)}*x{i + 1}")), x => slopes.Select((c, i) => c * x[i]).Sum())
            let low = Math.Round(g.Value(current) + shift, 1)
            select new Constraint(g, sides == 1 ? -Constraint.None : low, sides == 2 ? Constraint.None : low + width);
        var disc =
            from i in index from j in index from p in Position from q in Position from r in Gen.Choose(5, 200).Select(v => v / 10.0)
            select new Constraint(
                new Term($"({Shift(i, p)})**2 + ({Shift(j, q)})**2", x => ((x[i] - p) * (x[i] - p)) + ((x[j] - q) * (x[j] - q))), -Constraint.None, r);
        // A ring: the feasible set is not convex, and the gradient of g vanishes at the centre.
        var ring =
            from i in index from j in index from r in Gen.Choose(5, 100).Select(v => v / 10.0)
            select new Constraint(new Term($"x{i + 1}**2 + x{j + 1}**2", x => (x[i] * x[i]) + (x[j] * x[j])), r, Constraint.None);
        return convex ? Gen.OneOf(linear, disc) : Gen.OneOf(linear, disc, ring);
    }
}
