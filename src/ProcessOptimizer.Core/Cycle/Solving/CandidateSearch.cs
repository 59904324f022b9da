using System.Globalization;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// Solves one optimization by collecting candidate points and choosing among them by one rule. Every candidate
/// is evaluated afresh on the original (kinked) steps, in the search's own state.
/// </summary>
/// <remarks>
/// A smooth problem takes one solve. With a few kinks left after the epigraph, every combination of their sides
/// is a smooth piece, solved by branch and bound; with more, a short probe picks the sides, and kinks sitting at
/// their switch point are flipped while that lowers the cost. When no candidate is feasible, a solve without the
/// cost from a few deterministic starts looks for a feasible point, which is a candidate and a warm start. When
/// interval bounds over the move windows prove that no point meets the constraints (<see cref="InfeasibilityProof"/>),
/// none of that can succeed: one solve without the cost, from the operating point, finds the closest point instead.
/// </remarks>
internal sealed class CandidateSearch : IDisposable
{
    // 2^4 = 16 smooth solves is the most the enumeration may cost.
    private const int MaxEnumeratedKinks = 4;

    // On a kink IPOPT zig-zags; a short first solve gets close enough to tell which sides are active.
    private const int KinkProbeIterations = 30;

    private const int MaxFlipRounds = 8;

    // Per combination of sides (bit k: the side of kink k), the choice that forces it; made once, not per cycle.
    private static readonly Func<int, bool, bool>[] ForcedSides =
        [.. Enumerable.Range(0, 1 << MaxEnumeratedKinks).Select(mask => (Func<int, bool, bool>)((k, _) => ((mask >> k) & 1) == 1))];

    // Set by Start for one optimization and let go by Dispose: the search is its optimization's work's, rented with it.
    private SolveContext _context;
    private VariableState _state = null!;
    private PointEvaluator _evaluator;
    // Not read-only: a solve changes its counts in place.
    private SolveLog _log;
    private Formulation _formulation;
    private OptimizationWork _work = null!;
    // Made only by a search for a feasible point, which a feasible minute never needs.
    private List<SolveStatus>? _feasibilityStatuses;
    private string? _lastFeasibilityStatus;
    private Candidate? _best;

    /// <summary>
    /// The search of <paramref name="work"/>'s optimization: the work's own search object, set to
    /// <paramref name="context"/>, so that a warm cycle makes none. The caller disposes it before the work goes back.
    /// </summary>
    /// <param name="work">The optimization's own, whose scratch the formulation fills and whose storage the solves use.</param>
    public static CandidateSearch Start(SolveContext context, OptimizationWork work)
    {
        var search = work.Search;
        search.Begin(context, work);
        return search;
    }

    private void Begin(SolveContext context, OptimizationWork work)
    {
        _context = context;
        _work = work;
        _state = context.Base.Copy();
        _evaluator = new PointEvaluator(context, _state);
        _log = new SolveLog(context, work);
        var atStart = _evaluator.StateAt(context.Shape.Start);
        _formulation = new Formulation(context, atStart, work);
        atStart.Return();
        if (_formulation.EpigraphTerms > 0)
        {
            context.Warnings.Add($"skill '{context.Name}': {_formulation.EpigraphTerms} additive max/min/abs terms of the cost solved exactly as an epigraph (one variable and its rows each)");
        }
    }

    public SearchResult Run()
    {
        // After an infeasible cycle of this version the next is most likely infeasible too: a proof is tried first,
        // then the search for a feasible point, and when none of its starts finds one the cost is not solved for at all.
        if (_context.Settings.Previous is { WasInfeasible: true })
        {
            if (InfeasibilityProof.Find(_context, _evaluator.Workspace) is { } proven)
            {
                return Proven(proven);
            }

            var first = SearchFeasible();
            _context.Warnings.Add($"skill '{_context.Name}': the previous cycle was infeasible, so a solve without the cost tried {first} starting points first "
                + (_best is { IsFeasible: true } ? "and found one that meets the constraints, from which the problem was solved, and from the operating point too" : "and found none that meets the constraints"));
            if (_best is { IsFeasible: true })
            {
                SolveFrom(_context.Shape.Start);
            }

            return Result(first);
        }

        SolveFrom(_context.Shape.Start);
        var starts = 0;
        if (_best is not { IsFeasible: true })
        {
            // Tried only now, so that a feasible minute never pays for it.
            if (InfeasibilityProof.Find(_context, _evaluator.Workspace) is { } proof)
            {
                return Proven(proof);
            }

            starts = SearchFeasible();
            Note(starts);
        }

        return Result(starts);
    }

    private SearchResult Proven(InfeasibilityProof proof)
    {
        var solution = SolveFeasibility(_context.Shape.Start);
        if (Consider(solution, converged: false) is { IsFeasible: true } found)
        {
            // Sound bounds make this impossible; should it happen, the point found outranks the proof.
            SolveFrom(found.Point.X);
            return Result(0);
        }

        _context.Warnings.Add($"skill '{_context.Name}': {proof.Describe(_context)}, so no other start was tried; a solve without the cost looked for the closest point");
        return new SearchResult(null, _best, SolveStatus.Infeasible, solution.SolverStatus, _log, 0);
    }

    /// <summary>Solves without the cost from each start in turn, until one ends feasible; the problem is then solved from there.</summary>
    /// <returns>The starts tried.</returns>
    private int SearchFeasible()
    {
        var starts = 0;
        foreach (var start in FeasibleStarts.Of(_context.Shape.Start, _context.Shape.LowerBounds, _context.Shape.UpperBounds).DistinctBy(s => string.Join(",", s)))
        {
            starts++;
            if (Consider(SolveFeasibility(start), converged: false) is { IsFeasible: true } feasible)
            {
                SolveFrom(feasible.Point.X);
                break;
            }

            if (Stopped)
            {
                break;
            }
        }

        return starts;
    }

    private Solution SolveFeasibility(double[] start)
    {
        Solution solution;
        using (var program = _context.Program(_context.Steps, start, [], []))
        {
            solution = _log.Solve(new FeasibilityProgram(program), warmable: false);
        }

        (_feasibilityStatuses ??= []).Add(solution.Status);
        _lastFeasibilityStatus = solution.SolverStatus;
        return solution;
    }

    private SearchResult Result(int starts)
    {
        if (_best is { IsFeasible: true } chosen)
        {
            return new SearchResult(chosen, null, chosen.Converged ? SolveStatus.Succeeded : SolveStatus.LimitReached, chosen.SolverStatus, _log, starts);
        }

        // Infeasible only when every search for a feasible point ended with that verdict (or with a point that
        // still misses the rule); a search stopped by a limit proves nothing.
        var status = _feasibilityStatuses is null || _feasibilityStatuses.All(s => s is SolveStatus.Infeasible or SolveStatus.Succeeded or SolveStatus.AcceptableLevel) ? SolveStatus.Infeasible
            : _log.LimitsReached > 0 ? SolveStatus.LimitReached
            : SolveStatus.Failed;
        return new SearchResult(null, _best, status, _lastFeasibilityStatus ?? _best?.SolverStatus ?? "", _log, starts);
    }

    private void Note(int starts)
    {
        var found = _best is { IsFeasible: true };
        _context.Warnings.Add($"skill '{_context.Name}': no solve of the problem ended at a point that meets the constraints; a solve without the cost tried {starts} starting points "
            + (found ? "and found one that does, from which the problem was solved again"
                : "and found none that meets them; these searches are local, so this is no proof that none exists (a pole or another nonconvex constraint can hide one)"));
    }

    /// <summary>Solves the problem from <paramref name="start"/>, adding each solve's point as a candidate.</summary>
    private void SolveFrom(double[] start)
    {
        if (!_formulation.HasKinks)
        {
            SolvePlain(start);
            return;
        }

        var at = _evaluator.StateAt(start);
        var kinks = _formulation.Kinks(at);

        if (kinks <= MaxEnumeratedKinks)
        {
            SolvePieces(at, start, kinks);
        }
        else
        {
            SolveManyKinks(start, kinks);
        }

        at.Return();
    }

    // Apart from SolveFrom, which made this closure at every call, kinked or not.
    private void SolvePlain(double[] start) => Consider(Solve(() => _formulation.Plain(start)));

    /// <summary>
    /// Every combination of the kinks' sides from the start, by branch and bound: pieces in order of their cost
    /// bound, and a piece whose bound cannot beat the best feasible point found is not solved. A piece that ends
    /// infeasible or at a limit never stops the others.
    /// </summary>
    private void SolvePieces(VariableState at, double[] start, int kinks)
    {
        // Bounded in the formulation's scratch, then ordered by bound (ties in the order of their sides, as a stable
        // sort of the combinations leaves them): only a piece that is solved gets steps and rows of its own.
        var count = 1 << kinks;
        Span<(double Bound, int Mask)> pieces = stackalloc (double, int)[count];
        for (var mask = 0; mask < count; mask++)
        {
            pieces[mask] = (_formulation.Bound(at, ForcedSides[mask]), mask);
        }

        pieces.Sort();
        var pruned = 0;
        foreach (var (bound, mask) in pieces)
        {
            if (bound == double.PositiveInfinity
                || (_best is { IsFeasible: true } best && bound >= best.Point.Cost - (1e-9 * Math.Max(1, Math.Abs(best.Point.Cost)))))
            {
                pruned++;
                continue;
            }

            using var piece = _formulation.BuildInScratch(at, ForcedSides[mask], start, bound);
            Consider(_log.Solve(piece.Program));
        }

        // Kept as its numbers: the kiln's largest text, new every minute since it carries the cost, is written out only
        // when someone reads the result's warnings.
        _context.Warnings.Add(new PiecesWarning(_context.Name, kinks, pruned, _best is { IsFeasible: true } found ? found.Point.Cost : null, CultureInfo.CurrentCulture));
    }

    /// <summary>Too many kinks to enumerate: a short probe picks the sides, then kinks at their switch point are flipped while that lowers the cost.</summary>
    private void SolveManyKinks(double[] start, int kinks)
    {
        var probe = Consider(Solve(() => _formulation.Plain(start), _context.Settings with { MaxIterations = Math.Min(KinkProbeIterations, _context.Settings.MaxIterations) }));
        var point = probe is { Point.Failure: null } probed ? probed.Point.X : start;
        var fixedSettings = _context.Settings with { Tolerance = Math.Min(_context.Settings.Tolerance, 1e-9) };
        var current = Consider(Solve(() => _formulation.Fix(_evaluator.StateAt(point), point, null), fixedSettings));
        var (rounds, flips) = (0, 0);
        while (current is { IsFeasible: true } feasible && !Stopped && rounds++ < MaxFlipRounds)
        {
            var x = feasible.Point.X;
            var at = _evaluator.StateAt(x);
            double[] values;
            int conditions;
            using (var natural = _formulation.Fix(at, x, null))
            {
                values = new double[natural.Inner.Shape.ConstraintCount];
                natural.Inner.Constraints(x, values);
                conditions = natural.Conditions;
            }

            Candidate? better = null;
            for (var k = 0; k < conditions && better is null && !Stopped; k++)
            {
                var margin = values[_context.Templates.Count + k];
                if (Math.Abs(margin) > 1e-6 * Math.Max(1, x.Max(Math.Abs)))
                {
                    continue;
                }

                var flip = k;
                var trial = Consider(Solve(() => _formulation.Fix(at, x, (i, active) => i == flip ? !active : active), fixedSettings));
                flips++;
                if (trial is { IsFeasible: true } tried && tried.Point.Cost < feasible.Point.Cost - (1e-9 * Math.Max(1, Math.Abs(feasible.Point.Cost))))
                {
                    better = trial;
                }
            }

            if (better is null)
            {
                break;
            }

            current = better;
        }

        _context.Warnings.Add($"skill '{_context.Name}': {kinks} max/min/abs kinks, too many to enumerate: "
            + $"sides fixed where a {KinkProbeIterations}-iteration probe stopped, then {flips} flips of kinks at their switch point tried in {rounds} rounds"
            + (Stopped ? "; the deadline stopped the search there" : ""));
    }

    // Past the deadline every solve stops at its first callback, but its piece is built first: a search of many
    // solves (flips, starts) stops trying instead, and keeps the best it has; the pieces are at most 16.
    private bool Stopped => _context.Settings.Deadline.IsCancellationRequested || _context.Cancellation.IsCancellationRequested;

    private Solution? Solve(Func<Piece> build, SolverSettings? settings = null)
    {
        Piece piece;
        try
        {
            piece = build();
        }
        catch (CycleException ex) when (ex.Failure != CycleFailure.Solver)
        {
            // The steps do not evaluate at this start; there is nothing to solve from here. A problem the solver
            // cannot take (too large a structure) is no such case: it fails the cycle with its reason.
            return null;
        }

        using (piece)
        {
            return _log.Solve(piece.Program, settings);
        }
    }

    /// <summary>Gives back the evaluator's workspace and state, and lets go of everything this optimization set.</summary>
    public void Dispose()
    {
        _evaluator.Dispose();
        _state.Return();
        _context = default;
        _state = null!;
        _evaluator = default;
        _log = default;
        _formulation = default;
        _work = null!;
        _feasibilityStatuses = null;
        _lastFeasibilityStatus = null;
        _best = null;
    }

    /// <summary>Evaluates a solve's point afresh and keeps it if it is the best so far; a converged point is polished first.</summary>
    private Candidate? Consider(Solution? solved, bool? converged = null)
    {
        if (solved is not { } solution)
        {
            return null;
        }

        var isConverged = converged ?? solution.IsSuccess;
        var point = _evaluator.EvaluateTaking(_context.Clamp(solution.X.AsSpan(0, _context.Decisions.Length), _work.Point(_context.Decisions.Length)));
        string? moved = null;
        if (isConverged)
        {
            point = Polisher.Polish(_context, _evaluator, point);
        }
        else if (converged is null)
        {
            // A solve of the cost that stopped a hair from a bound most often stopped because a slope grows without
            // bound there (sqrt or a fractional power at 0): the solver cannot step onto the bound it is heading for.
            // The bound is taken when it is no worse; the point stays unproven, and the warning says what moved.
            var polished = Polisher.Polish(_context, _evaluator, point);
            moved = Polisher.Moves(_context, point, polished);
            point = polished;
        }

        var candidate = new Candidate(point, solution.SolverStatus, isConverged) { Moved = moved };
        if (candidate.IsBetterThan(_best))
        {
            _best = candidate;
        }

        return candidate;
    }
}
