namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// The problem as it is solved: the cost step's additive convex kinks taken out into an epigraph (one smooth
/// solve covers any number of them), and the kinks left, which are fixed at one side per <see cref="Piece"/>.
/// </summary>
/// <remarks>A value, made per optimization of every cycle: its fields are references set once, and its scratch is the optimization's work.</remarks>
internal readonly struct Formulation
{
    private readonly SolveContext _context;
    private readonly IReadOnlyList<IStep> _steps;
    private readonly IReadOnlyList<(double Weight, double Floor, IReadOnlyList<ConditionRow> Rows)> _terms = [];
    private readonly List<ConditionRow> _conditionScratch;

    // The epigraph's rows, each with the term it belongs to, in the order they follow the side conditions.
    private readonly ConditionRow[] _epigraphRows = [];
    private readonly int[] _epigraphTerms = [];
    private readonly IStep[] _stepScratch;

    /// <param name="work">The optimization's own: its scratch holds the sides of one piece at a time.</param>
    public Formulation(SolveContext context, VariableState atStart, OptimizationWork work)
    {
        _context = context;
        _steps = context.Steps;
        if (CostStep(context) is { HasKinks: true } costStep && costStep.WithoutConvexKinks(atStart) is { } split)
        {
            (_steps, _epigraphRows, _epigraphTerms) = Epigraph(context.Steps, costStep, split.Remainder, split.Terms);
            _terms = split.Terms;
            EpigraphTerms = split.Terms.Count;
        }

        (_stepScratch, _conditionScratch) = (work.Steps(_steps.Count), work.Conditions);
    }

    // Apart from the constructor, whose every call made the lambdas' closure before it knew whether it had an epigraph.
    private static (IStep[] Steps, ConditionRow[] Rows, int[] Terms) Epigraph(
        IReadOnlyList<IStep> steps, MathStep costStep, MathStep remainder, IReadOnlyList<(double Weight, double Floor, IReadOnlyList<ConditionRow> Rows)> terms) =>
        ([.. steps.Select(s => s == costStep ? remainder : s)], [.. terms.SelectMany(t => t.Rows)], [.. terms.SelectMany((t, k) => t.Rows.Select(_ => k))]);

    /// <summary>How many additive convex kinks the epigraph covers.</summary>
    public int EpigraphTerms { get; }

    /// <summary>Whether kinks are left after the epigraph.</summary>
    public bool HasKinks
    {
        get
        {
            for (var s = 0; s < _steps.Count; s++)
            {
                if (_steps[s] is MathStep { HasKinks: true })
                {
                    return true;
                }
            }

            return false;
        }
    }

    // The last formula step that computes the cost; looked for without LINQ, since every cycle asks.
    private static MathStep? CostStep(SolveContext context)
    {
        for (var s = context.Steps.Count - 1; s >= 0; s--)
        {
            if (context.Steps[s] is MathStep math && math.Outputs[0] == context.Cost)
            {
                return math;
            }
        }

        return null;
    }

    /// <summary>
    /// The program from <paramref name="start"/> with each kink left fixed at a side: the side active in
    /// <paramref name="at"/>, or the one <paramref name="forced"/> picks from the kink's index and that side.
    /// </summary>
    public Piece Fix(VariableState at, double[] start, Func<int, bool, bool>? forced) => Build(Sides(at, forced), start);

    /// <summary>
    /// The steps and side conditions of the piece <see cref="Fix"/> builds, with its cost bound, without building its
    /// program: a piece that its bound rules out is never built.
    /// </summary>
    public PieceSides Sides(VariableState at, Func<int, bool, bool>? forced)
    {
        var (steps, conditions) = (new IStep[_steps.Count], new List<ConditionRow>());
        FixSides(at, forced, steps, conditions);
        return new PieceSides(steps, conditions, BoundOf(steps, conditions, forced));
    }

    /// <summary>
    /// The cost bound of the piece <see cref="Sides"/> gives, worked out in this formulation's scratch: a search
    /// bounds every piece and builds only those its bound does not rule out.
    /// </summary>
    public double Bound(VariableState at, Func<int, bool, bool> forced)
    {
        _conditionScratch.Clear();
        FixSides(at, forced, _stepScratch, _conditionScratch);
        return BoundOf(_stepScratch, _conditionScratch, forced);
    }

    /// <summary>
    /// The piece <see cref="Fix"/> builds with <paramref name="forced"/>'s sides, its steps and side conditions fixed in
    /// this formulation's scratch, with <paramref name="bound"/>, what <see cref="Bound"/> gave for the same sides. The
    /// program copies what it keeps (its rows, its plan's key), so the scratch is free for the next piece once it is built.
    /// </summary>
    public Piece BuildInScratch(VariableState at, Func<int, bool, bool> forced, double[] start, double bound)
    {
        _conditionScratch.Clear();
        FixSides(at, forced, _stepScratch, _conditionScratch);
        return Build(_stepScratch, start, _conditionScratch, bound);
    }

    /// <summary>How many kinks are left at <paramref name="at"/>: the side conditions of the piece active there.</summary>
    public int Kinks(VariableState at)
    {
        var kinks = 0;
        for (var s = 0; s < _steps.Count; s++)
        {
            if (_steps[s] is MathStep { HasKinks: true } math)
            {
                kinks += math.WithFixedBranches(at, null, kinks).Conditions.Count;
            }
        }

        return kinks;
    }

    // Each kinked step fixed at its sides; the fixed steps and their rows are kept ones, so a piece met again finds its plan.
    private void FixSides(VariableState at, Func<int, bool, bool>? forced, IStep[] steps, List<ConditionRow> conditions)
    {
        for (var s = 0; s < steps.Length; s++)
        {
            var step = _steps[s];
            if (step is MathStep { HasKinks: true } math)
            {
                var (fixedStep, rows) = math.WithFixedBranches(at, forced, conditions.Count);
                steps[s] = fixedStep;
                for (var r = 0; r < rows.Count; r++)
                {
                    conditions.Add(rows[r]);
                }
            }
            else
            {
                steps[s] = step;
            }
        }
    }

    private double BoundOf(IStep[] steps, List<ConditionRow> conditions, Func<int, bool, bool>? forced) =>
        forced is null || EpigraphTerms > 0
            ? double.NegativeInfinity
            : PieceBound.Cost(steps, conditions, _context.Cost, _context.Decisions, _context.Shape.LowerBounds, _context.Shape.UpperBounds, _context.Base);

    /// <summary>The program of a piece from <paramref name="start"/>; the caller disposes it.</summary>
    public Piece Build(PieceSides sides, double[] start) => Build(sides.Steps, start, sides.Conditions, sides.Bound);

    /// <summary>The program with its kinks left in (a smooth one when <see cref="HasKinks"/> is false).</summary>
    public Piece Plain(double[] start) => Build(_steps, start, [], double.NegativeInfinity);

    /// <summary>The steps of one piece with its kinks fixed, their side conditions (each ≥ 0) and a lower bound of its cost (−∞ when none is known).</summary>
    public sealed record PieceSides(IStep[] Steps, List<ConditionRow> Conditions, double Bound);

    private Piece Build(IReadOnlyList<IStep> steps, double[] start, IReadOnlyList<ConditionRow> conditions, double bound)
    {
        var inner = _context.Program(steps, start, conditions, _epigraphRows);
        if (_terms.Count == 0)
        {
            return new Piece(inner, inner, conditions.Count, bound);
        }

        var firstRow = _context.Templates.Count + conditions.Count;
        var program = new EpigraphProgram(inner, firstRow, _epigraphTerms, [.. _terms.Select(t => t.Weight)], [.. _terms.Select(t => t.Floor)]);
        return new Piece(program, inner, conditions.Count, bound);
    }
}
