using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>What a cycle of a <see cref="SmallProblem"/> published, read back from its result.</summary>
internal sealed record Published(double[] X, double Cost, double[] Constraints, CycleResult Result)
{
    public static Published From(SmallProblem problem, CycleResult result)
    {
        var byName = result.Variables.ToDictionary(v => v.Name);
        return new Published(
            [.. Enumerable.Range(1, problem.Count).Select(i => byName[$"x{i}"].Recommended)],
            result.CostAtRecommended ?? double.NaN,
            [.. Enumerable.Range(1, problem.Constraints.Length).Select(k => byName[$"g{k}"].Recommended)],
            result);
    }

    /// <summary>The values a cycle with closed windows computes at <see cref="X"/>.</summary>
    public static (double Cost, double[] Constraints) Fresh(SmallProblem problem, double[] x)
    {
        var result = problem.EvaluateAt(x);
        var byName = result.Variables.ToDictionary(v => v.Name);
        return (result.CostAtCurrent ?? double.NaN, [.. Enumerable.Range(1, problem.Constraints.Length).Select(k => byName[$"g{k}"].Current)]);
    }

    /// <summary>The one feasibility rule, written out independently: a relative tolerance of 1e-6 on each bound's magnitude (at least 1).</summary>
    public static bool Feasible(SmallProblem problem, double[] constraintValues) =>
        problem.Constraints.Select((c, k) => constraintValues[k] >= c.Min - (1e-6 * Math.Max(1, Math.Abs(c.Min)))
            && constraintValues[k] <= c.Max + (1e-6 * Math.Max(1, Math.Abs(c.Max)))).All(ok => ok);
}
