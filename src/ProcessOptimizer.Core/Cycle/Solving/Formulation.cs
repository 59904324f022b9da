namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// The problem as it is solved: the cost step's additive convex kinks taken out into an epigraph (one smooth
/// solve covers any number of them), and the kinks left, which are fixed at one side per <see cref="Piece"/>.
/// </summary>
internal sealed class Formulation
{
    private readonly SolveContext _context;
    private readonly IReadOnlyList<IStep> _steps;
    private readonly IReadOnlyList<(double Weight, double Floor, IReadOnlyList<ConditionRow> Rows)> _terms = [];

    public Formulation(SolveContext context, VariableState atStart)
    {
        _context = context;
        _steps = context.Steps;
        var costStep = context.Steps.OfType<MathStep>().LastOrDefault(s => s.Outputs.Contains(context.Cost));
        if (costStep is { HasKinks: true } && costStep.WithoutConvexKinks(atStart) is { } split)
        {
            _steps = [.. context.Steps.Select(s => s == costStep ? split.Remainder : s)];
            _terms = split.Terms;
            EpigraphTerms = split.Terms.Count;
        }
    }

    /// <summary>How many additive convex kinks the epigraph covers.</summary>
    public int EpigraphTerms { get; }

    /// <summary>Whether kinks are left after the epigraph.</summary>
    public bool HasKinks => _steps.OfType<MathStep>().Any(m => m.HasKinks);

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
        var conditions = new List<ConditionRow>();
        var steps = new IStep[_steps.Count];
        for (var s = 0; s < steps.Length; s++)
        {
            var step = _steps[s];
            if (step is MathStep { HasKinks: true } math)
            {
                var offset = conditions.Count;
                var (fixedStep, rows) = math.WithFixedBranches(at, forced, offset);
                steps[s] = fixedStep;
                conditions.AddRange(rows);
            }
            else
            {
                steps[s] = step;
            }
        }

        var bound = forced is null || EpigraphTerms > 0
            ? double.NegativeInfinity
            : PieceBound.Cost(steps, conditions, _context.Cost, _context.Decisions, _context.Shape.LowerBounds, _context.Shape.UpperBounds, _context.Base);
        return new PieceSides(steps, conditions, bound);
    }

    /// <summary>The program of a piece from <paramref name="start"/>; the caller disposes it.</summary>
    public Piece Build(PieceSides sides, double[] start) => Build(sides.Steps, start, sides.Conditions, sides.Bound);

    /// <summary>The program with its kinks left in (a smooth one when <see cref="HasKinks"/> is false).</summary>
    public Piece Plain(double[] start) => Build(_steps, start, [], double.NegativeInfinity);

    /// <summary>The steps of one piece with its kinks fixed, their side conditions (each ≥ 0) and a lower bound of its cost (−∞ when none is known).</summary>
    public sealed record PieceSides(IStep[] Steps, List<ConditionRow> Conditions, double Bound);

    private Piece Build(IReadOnlyList<IStep> steps, double[] start, List<ConditionRow> conditions, double bound)
    {
        var terms = _terms;
        var epigraphRows = terms.SelectMany((t, k) => t.Rows.Select(r => (Row: r, Term: k))).ToList();
        var inner = _context.Program(
            steps,
            start,
            [.. conditions.Select(c => (c, 0.0, double.PositiveInfinity)), .. epigraphRows.Select(r => (r.Row, double.NegativeInfinity, double.PositiveInfinity))]);
        if (terms.Count == 0)
        {
            return new Piece(inner, inner, conditions.Count, bound);
        }

        var firstRow = _context.Templates.Count + conditions.Count;
        var program = new EpigraphProgram(inner, firstRow, [.. epigraphRows.Select(r => r.Term)], [.. terms.Select(t => t.Weight)], [.. terms.Select(t => t.Floor)]);
        return new Piece(program, inner, conditions.Count, bound);
    }
}
