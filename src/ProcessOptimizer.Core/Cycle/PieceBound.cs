using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A lower bound of the cost over one piece of a kinked problem: the move windows, narrowed by the piece's
/// branch conditions where they are simple, pushed through the steps by interval arithmetic. The model
/// constraints are left out, which only lowers the bound, so a piece whose bound is no better than a point
/// already found cannot hold a better one and need not be solved.
/// </summary>
internal static class PieceBound
{
    public static double Cost(
        IReadOnlyList<IStep> steps, IReadOnlyList<ConditionRow> conditions, int cost, int[] decisions, double[] lower, double[] upper, VariableState state)
    {
        var ranges = new Dictionary<int, Interval>();
        for (var i = 0; i < decisions.Length; i++)
        {
            ranges[decisions[i]] = new Interval(lower[i], upper[i]);
        }

        var allowed = new Dictionary<int, Interval>();
        foreach (var condition in conditions)
        {
            if (condition.Restriction(state) is not var (variable, range))
            {
                continue;
            }

            allowed[variable] = allowed.TryGetValue(variable, out var earlier) ? earlier.Intersect(range) : range;
        }

        Interval Range(int variable)
        {
            var known = ranges.TryGetValue(variable, out var value) ? value : Interval.Point(state.Dof[variable]);
            return allowed.TryGetValue(variable, out var narrower) ? known.Intersect(narrower) : known;
        }

        // One pass in the steps' own order: every input is bounded before a step reads it, and the narrowing by
        // the conditions is applied wherever a variable is read.
        foreach (var step in steps)
        {
            foreach (var output in step.Outputs)
            {
                ranges[output] = step is MathStep math ? math.Bound(Range, state) : Interval.Whole;
            }
        }

        var bound = Range(cost);
        if (double.IsNaN(bound.Low) || double.IsNaN(bound.High))
        {
            return double.NegativeInfinity;
        }

        // An empty range means the piece holds no point at all.
        return bound.IsEmpty ? double.PositiveInfinity : bound.Low;
    }
}
