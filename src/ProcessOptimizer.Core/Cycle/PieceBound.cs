using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A lower bound of the cost over one piece of a kinked problem: the move windows, narrowed by the piece's
/// branch conditions where they are simple, pushed through the steps by interval arithmetic. The model
/// constraints are left out, which only lowers the bound, so a piece whose bound is no better than a point
/// already found cannot hold a better one and need not be solved.
/// </summary>
/// <remarks>
/// The ranges by variable are scratch of the calling thread's own, kept between calls: every cycle bounds its
/// pieces without allocating, and no two threads share it.
/// </remarks>
internal sealed class PieceBound
{
    [ThreadStatic]
    private static PieceBound? t_scratch;

    private readonly Func<int, Interval> _range;
    private Interval[] _ranges = [];
    private Interval[] _allowed = [];
    private bool[] _known = [];
    private bool[] _narrowed = [];
    private VariableState? _state;

    private PieceBound() => _range = Range;

    public static double Cost(
        IReadOnlyList<IStep> steps, IReadOnlyList<ConditionRow> conditions, int cost, int[] decisions, double[] lower, double[] upper, VariableState state)
    {
        // Taken while in use, so that a call made meanwhile on this thread would get scratch of its own.
        var scratch = t_scratch ?? new PieceBound();
        t_scratch = null;
        try
        {
            return scratch.Compute(steps, conditions, cost, decisions, lower, upper, state);
        }
        finally
        {
            scratch._state = null;
            t_scratch = scratch;
        }
    }

    private double Compute(
        IReadOnlyList<IStep> steps, IReadOnlyList<ConditionRow> conditions, int cost, int[] decisions, double[] lower, double[] upper, VariableState state)
    {
        Reset(state);
        for (var i = 0; i < decisions.Length; i++)
        {
            (_ranges[decisions[i]], _known[decisions[i]]) = (new Interval(lower[i], upper[i]), true);
        }

        for (var c = 0; c < conditions.Count; c++)
        {
            if (conditions[c].Restriction(state) is not var (variable, range))
            {
                continue;
            }

            _allowed[variable] = _narrowed[variable] ? _allowed[variable].Intersect(range) : range;
            _narrowed[variable] = true;
        }

        // One pass in the steps' own order: every input is bounded before a step reads it, and the narrowing by
        // the conditions is applied wherever a variable is read.
        for (var s = 0; s < steps.Count; s++)
        {
            var (step, outputs) = (steps[s], steps[s].Outputs);
            for (var o = 0; o < outputs.Count; o++)
            {
                (_ranges[outputs[o]], _known[outputs[o]]) = (step is MathStep math ? math.Bound(_range, state) : Interval.Whole, true);
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

    private void Reset(VariableState state)
    {
        _state = state;
        var count = state.Dof.Length;
        if (_ranges.Length < count)
        {
            (_ranges, _allowed, _known, _narrowed) = (new Interval[count], new Interval[count], new bool[count], new bool[count]);
        }

        Array.Clear(_known, 0, count);
        Array.Clear(_narrowed, 0, count);
    }

    private Interval Range(int variable)
    {
        var known = _known[variable] ? _ranges[variable] : Interval.Point(_state!.Dof[variable]);
        return _narrowed[variable] ? known.Intersect(_allowed[variable]) : known;
    }
}
