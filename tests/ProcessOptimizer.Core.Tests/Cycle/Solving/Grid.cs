namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>Brute force: the cheapest point of a regular grid over the move windows that meets every constraint exactly.</summary>
internal static class Grid
{
    public static (double[] X, double Cost)? Best(SmallProblem problem)
    {
        var steps = problem.Count switch { 1 => 800, 2 => 80, _ => 20 };
        (double[] X, double Cost)? best = null;
        var index = new int[problem.Count];
        while (true)
        {
            var x = index.Select((k, i) => problem.Window(i) is var (lo, hi) ? (k == steps ? hi : lo + ((hi - lo) * k / steps)) : 0).ToArray();
            if (problem.Constraints.All(c => c.Violation(x) == 0) && problem.CostAt(x) is var cost && (best is null || cost < best.Value.Cost))
            {
                best = (x, cost);
            }

            var d = 0;
            while (d < index.Length && ++index[d] > steps)
            {
                index[d++] = 0;
            }

            if (d == index.Length)
            {
                return best;
            }
        }
    }
}
