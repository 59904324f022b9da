using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// Ranges of the variables the steps compute while each decision stays within its move window, by interval
/// arithmetic through the steps in their order. A range always contains every value the steps can give there
/// (it is often wider); what nothing bounds is <see cref="Interval.Whole"/>.
/// </summary>
internal static class WindowRanges
{
    /// <param name="workspace">A workspace with the steps prepared, for the models' fixed inputs.</param>
    /// <returns>The range of each variable: a decision's window, a step output's bound, otherwise the state's value.</returns>
    public static Func<int, Interval> Of(
        IReadOnlyList<IStep> steps, int[] decisions, double[] lower, double[] upper, VariableState state, Workspace workspace)
    {
        var ranges = new Dictionary<int, Interval>();
        for (var i = 0; i < decisions.Length; i++)
        {
            ranges[decisions[i]] = new Interval(lower[i], upper[i]);
        }

        Interval Range(int variable) => ranges.TryGetValue(variable, out var value) ? value : Interval.Point(state.Dof[variable]);

        // One pass in the steps' own order: every input is bounded before a step reads it.
        Span<Interval> outputs = stackalloc Interval[steps.Select(s => s.Outputs.Count).DefaultIfEmpty(0).Max()];
        foreach (var step in steps)
        {
            var bounds = outputs[..step.Outputs.Count];
            switch (step)
            {
                case MathStep math:
                    bounds[0] = math.Bound(Range, state);
                    break;
                case ModelStep model:
                    model.Bound(Range, state, workspace.Buffers[model.Id], bounds);
                    break;
                default:
                    bounds.Fill(Interval.Whole);
                    break;
            }

            for (var o = 0; o < bounds.Length; o++)
            {
                ranges[step.Outputs[o]] = bounds[o];
            }
        }

        return Range;
    }
}
