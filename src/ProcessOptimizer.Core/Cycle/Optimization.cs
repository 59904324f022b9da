using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>One run of an OptimizationSkill: builds the program, solves it, and applies or holds the result.</summary>
internal sealed class Optimization(
    CompiledStrategy strategy,
    VariableState state,
    INonlinearSolver solver,
    SolverSettings settings,
    List<string> warnings,
    CancellationToken cancellationToken)
{
    // IPOPT reads magnitudes beyond 1e19 as "no bound".
    private const double Unbounded = 1e19;

    public OptimizationOutcome Run(OptimizationSkill optimizer, IReadOnlyDictionary<int, (double Lower, double Upper)> bounds, IReadOnlyList<ConstraintTemplate> templates)
    {
        var decisions = optimizer.Inputs.Select(strategy.Index).ToArray();
        var steps = strategy.Flatten(optimizer.CostSkillName).ToList();
        var models = steps.OfType<ModelStep>().ToList();
        // With models, the Hessian is exact for the formulas and takes the models' curvature from their
        // Jacobians; L-BFGS stalls on the seed's kind of cost (products of max() terms).
        var exactHessian = settings.UseExactHessian;
        foreach (var model in models.DistinctBy(m => m.Id).Where(m => m.Model.DerivativeNote is not null))
        {
            warnings.Add($"skill '{model.Skill.Name}': derivatives by finite differences because {model.Model.DerivativeNote}");
        }

        var workspace = new Workspace(state, steps, decisions, exactHessian ? 2 : 1);
        foreach (var step in steps.DistinctBy(s => s.Id))
        {
            step.Prepare(state, workspace.Buffers[step.Id], warnings);
        }

        var start = decisions.Select(v => state.Current[v]).ToArray();
        var lower = new double[decisions.Length];
        var upper = new double[decisions.Length];
        for (var i = 0; i < decisions.Length; i++)
        {
            if (!bounds.TryGetValue(decisions[i], out var window))
            {
                var variable = strategy.Variables[decisions[i]];
                warnings.Add($"skill '{optimizer.Name}': no Bounds skill ran for '{variable.Name}' before the optimizer; its hard limits are used");
                window = (variable.MinHardLimit, variable.MaxHardLimit);
            }

            (lower[i], upper[i]) = window;
        }

        var constraintVariables = templates.Select(t => strategy.Index(t.PredictedVariable)).ToArray();
        var shape = new ProgramShape(
            start, lower, upper,
            [.. templates.Select(t => t.OpMin <= -Unbounded ? double.NegativeInfinity : t.OpMin)],
            [.. templates.Select(t => t.OpMax >= Unbounded ? double.PositiveInfinity : t.OpMax)]);
        var cost = strategy.Index(optimizer.CostFeatureName);
        var program = new CompositionProgram(workspace, steps, cost, constraintVariables, shape, exactHessian);
        if (lower.Zip(upper).All(b => b.First == b.Second))
        {
            return HoldWithoutMoves(optimizer, workspace, steps, decisions, cost, templates, constraintVariables, models);
        }

        // The operating point must evaluate: if it does not, no solver can start, and the error is the truth to report.
        program.EvaluateAt(start, 0);
        var atCurrent = steps.SelectMany(s => s.Outputs).Distinct().ToDictionary(v => v, v => state.Dof[v]);
        var costAtCurrent = state.Dof[cost];

        var solverSettings = settings with { Options = Merge(settings.Options, optimizer.SolverOptions) };
        var solution = Solve(optimizer, program, steps, decisions, cost, templates, constraintVariables, solverSettings);
        var violation = MostViolated(program, solution.X, templates, constraintVariables, out var maxViolation);
        double costAtRecommended;
        if (solution.IsSuccess)
        {
            solution = solution with { X = Polish(program, solution.X, cost, templates, constraintVariables) };
            program.EvaluateAt(solution.X, 0);
            for (var i = 0; i < decisions.Length; i++)
            {
                state.Recommended[decisions[i]] = state.Dof[decisions[i]] = solution.X[i];
            }

            costAtRecommended = state.Dof[cost];
        }
        else
        {
            // Hold: leave every decision at its current value, and the computed values at the operating point.
            program.EvaluateAt(start, 0);
            costAtRecommended = costAtCurrent;
        }

        var report = new SolverReport(
            optimizer.Name,
            solver.Name,
            solution.SolverStatus,
            solution.Iterations,
            // After a branch-fixed re-solve the solver's objective is that of the fixed problem; report the true cost.
            solution.IsSuccess ? costAtRecommended : solution.Objective,
            maxViolation,
            solution.Seconds,
            solution.CallbackSeconds,
            !exactHessian ? "limited-memory" : models.Count == 0 ? "exact" : "exact-formulas-model-curvature",
            models.DistinctBy(m => m.Id).ToDictionary(m => m.Skill.Name, m => m.Model.DerivativeMode),
            solution.EvaluationError,
            _derivativeError);
        return new OptimizationOutcome(decisions, cost, atCurrent, costAtCurrent, costAtRecommended, solution.Status, report,
            solution.IsSuccess ? null : violation);
    }

    // On a kink IPOPT zig-zags until its iteration limit or a failed restoration. With a few kinks every
    // combination of sides is solved; with more, a short first solve gets close enough to tell which branches
    // are active, and the branch-fixed problem then converges quickly.
    private const int KinkProbeIterations = 30;

    // 2^4 = 16 smooth solves is the most the last resort may cost.
    private const int MaxEnumeratedKinks = 4;

    // The largest derivative-test error over every solve of this optimization, when checking.
    private double? _derivativeError;

    private Solution Solve(
        OptimizationSkill optimizer, CompositionProgram program, List<IStep> steps, int[] decisions, int cost,
        IReadOnlyList<ConstraintTemplate> templates, int[] constraintVariables, SolverSettings solverSettings)
    {
        var hasKinks = steps.OfType<MathStep>().Any(m => m.HasKinks);
        if (hasKinks && SolveEveryPiece(optimizer, program, steps, decisions, cost, templates, constraintVariables, solverSettings) is { } best)
        {
            return best;
        }

        var probe = hasKinks && solverSettings.MaxIterations > KinkProbeIterations
            ? solverSettings with { MaxIterations = KinkProbeIterations }
            : solverSettings;
        var solution = Track(solver.Solve(program, probe, cancellationToken));
        if (!hasKinks || solution.IsSuccess || solution.Status == SolveStatus.Infeasible || cancellationToken.IsCancellationRequested)
        {
            return probe == solverSettings || solution.IsSuccess || solution.Status == SolveStatus.Infeasible
                ? solution
                : Track(solver.Solve(program, solverSettings, cancellationToken));
        }

        if (SolveOnFixedBranches(optimizer, program, steps, solution, decisions, cost, constraintVariables, solverSettings) is { } fixedSolution)
        {
            return fixedSolution;
        }

        if (probe == solverSettings)
        {
            return solution;
        }

        // The probe stopped too far from the optimum to pick the branches: solve in full, then try again.
        var full = Track(solver.Solve(program, solverSettings, cancellationToken));
        return full.IsSuccess || full.Status == SolveStatus.Infeasible
            ? full
            : SolveOnFixedBranches(optimizer, program, steps, full, decisions, cost, constraintVariables, solverSettings) ?? full;
    }

    /// <summary>
    /// A smooth solver cannot converge to an optimum that sits on a kink of max/min/abs (the seed's
    /// intervention penalty puts one right at "no move"). Fixing each kink to the branch active where the
    /// first solve stopped, with conditions that keep it active, gives a smooth problem whose solution is
    /// exact for the original one.
    /// </summary>
    private Solution? SolveOnFixedBranches(
        OptimizationSkill optimizer, CompositionProgram program, List<IStep> steps, Solution first,
        int[] decisions, int cost, int[] constraintVariables, SolverSettings solverSettings)
    {
        if (!steps.OfType<MathStep>().Any(m => m.HasKinks))
        {
            return null;
        }

        var shape = program.Shape;
        var start = Clamp(shape, first.X);
        try
        {
            program.EvaluateAt(start, 0);
        }
        catch (CycleException)
        {
            return null;
        }

        var (fixedProgram, conditionCount, _) = FixBranches(program, steps, start, decisions, cost, constraintVariables, forced: null);
        // The fixed problem is smooth and converges quadratically, so a tighter tolerance costs an iteration or two
        // and lands on the kink instead of near it.
        var second = Track(solver.Solve(fixedProgram, solverSettings with { Tolerance = Math.Min(solverSettings.Tolerance, 1e-9) }, cancellationToken));
        warnings.Add($"skill '{optimizer.Name}': IPOPT ended with {first.SolverStatus} after {first.Iterations} iterations on a nonsmooth cost; "
            + $"re-solved with {conditionCount} max/min/abs branches fixed at the active side: {second.SolverStatus} after {second.Iterations} iterations");
        return second.IsSuccess
            ? second with { Iterations = first.Iterations + second.Iterations, Seconds = first.Seconds + second.Seconds, CallbackSeconds = first.CallbackSeconds + second.CallbackSeconds }
            : null;
    }

    /// <summary>
    /// The smooth problem with each kink of the cost steps fixed at one side: the side active in the current
    /// state, or the one <paramref name="forced"/> picks by kink index. Each fixed kink adds a condition row.
    /// </summary>
    private (CompositionProgram Program, int Conditions, double CostBound) FixBranches(
        CompositionProgram program, List<IStep> steps, double[] start, int[] decisions, int cost, int[] constraintVariables, Func<int, bool>? forced)
    {
        var conditions = new List<ConditionRow>();
        var fixedSteps = new List<IStep>();
        foreach (var step in steps)
        {
            if (step is MathStep math && math.HasKinks)
            {
                var offset = conditions.Count;
                var (fixedStep, rows) = math.WithFixedBranches(state, forced is null ? null : k => forced(offset + k));
                fixedSteps.Add(fixedStep);
                conditions.AddRange(rows);
            }
            else
            {
                fixedSteps.Add(step);
            }
        }

        var workspace = new Workspace(state, fixedSteps, decisions, program.HasExactHessian ? 2 : 1);
        foreach (var step in fixedSteps.DistinctBy(s => s.Id))
        {
            step.Prepare(state, workspace.Buffers[step.Id], warnings);
        }

        var shape = program.Shape;
        var fixedShape = shape with
        {
            Start = start,
            ConstraintLower = [.. shape.ConstraintLower, .. conditions.Select(_ => 0.0)],
            ConstraintUpper = [.. shape.ConstraintUpper, .. conditions.Select(_ => double.PositiveInfinity)],
        };
        var bound = forced is null ? double.NegativeInfinity : PieceBound.Cost(fixedSteps, conditions, cost, decisions, shape.LowerBounds, shape.UpperBounds, state);
        return (new CompositionProgram(workspace, fixedSteps, cost, constraintVariables, fixedShape, program.HasExactHessian, conditions), conditions.Count, bound);
    }

    /// <summary>
    /// With a few kinks, considers every combination of their sides (2^k smooth problems) from the operating
    /// point and keeps the best point that is feasible for the original problem. Each piece is smooth, so each
    /// solve takes a few iterations, and the answer does not depend on where a zig-zagging solve happened to
    /// stop. A piece is skipped when its cost bound (<see cref="PieceBound"/>) shows it cannot beat the best.
    /// </summary>
    private Solution? SolveEveryPiece(
        OptimizationSkill optimizer, CompositionProgram program, List<IStep> steps, int[] decisions, int cost,
        IReadOnlyList<ConstraintTemplate> templates, int[] constraintVariables, SolverSettings solverSettings)
    {
        var start = program.Shape.Start;
        int kinks;
        try
        {
            program.EvaluateAt(start, 0);
            kinks = FixBranches(program, steps, start, decisions, cost, constraintVariables, forced: null).Conditions;
        }
        catch (CycleException)
        {
            return null;
        }

        if (kinks is 0 or > MaxEnumeratedKinks)
        {
            return null;
        }

        // Branch and bound: pieces in order of their cost bound, and a piece whose bound is no better than the
        // best point found so far is not solved.
        var pieces = new List<(CompositionProgram Program, double Bound)>();
        for (var mask = 0; mask < 1 << kinks; mask++)
        {
            program.EvaluateAt(start, 0);
            var piece = mask;
            var (pieceProgram, _, bound) = FixBranches(program, steps, start, decisions, cost, constraintVariables, k => ((piece >> k) & 1) == 1);
            pieces.Add((pieceProgram, bound));
        }

        Solution? best = null;
        var (bestCost, iterations, seconds, callbacks, pruned) = (double.PositiveInfinity, 0, 0.0, 0.0, 0);
        // The pieces cover the whole move window: when every one is infeasible, so is the problem, and the piece
        // that came closest says by how much.
        var (everyPieceInfeasible, closest, closestViolation) = (true, (Solution?)null, double.PositiveInfinity);
        var feasibilityChecked = false;
        foreach (var (pieceProgram, bound) in pieces.OrderBy(p => p.Bound))
        {
            if (bound == double.PositiveInfinity || (best is not null && bound >= bestCost - (1e-9 * Math.Max(1, Math.Abs(bestCost)))))
            {
                pruned++;
                continue;
            }

            var solution = Track(solver.Solve(pieceProgram, solverSettings, cancellationToken));
            (iterations, seconds, callbacks) = (iterations + solution.Iterations, seconds + solution.Seconds, callbacks + solution.CallbackSeconds);
            everyPieceInfeasible &= solution.Status == SolveStatus.Infeasible;
            if (solution.Status == SolveStatus.Infeasible
                && Clamp(program.Shape, solution.X) is var inside
                && MostViolated(program, inside, templates, constraintVariables, out var violation) is not null
                && violation < closestViolation)
            {
                (closest, closestViolation) = (solution with { X = inside }, violation);
            }

            // The first piece found no feasible point: one smooth solve without the cost says whether any piece can.
            if (solution.Status == SolveStatus.Infeasible && best is null && !feasibilityChecked)
            {
                feasibilityChecked = true;
                var feasibility = Track(solver.Solve(new FeasibilityProgram(program), solverSettings, cancellationToken));
                (iterations, seconds, callbacks) = (iterations + feasibility.Iterations, seconds + feasibility.Seconds, callbacks + feasibility.CallbackSeconds);
                if (feasibility.Status == SolveStatus.Infeasible)
                {
                    warnings.Add($"skill '{optimizer.Name}': no point within the move windows meets the constraints (a solve without the cost found none)");
                    var nearest = Clamp(program.Shape, feasibility.X);
                    MostViolated(program, nearest, templates, constraintVariables, out var least);
                    return (least < closestViolation ? feasibility with { X = nearest } : closest ?? feasibility)
                        with { Iterations = iterations, Seconds = seconds, CallbackSeconds = callbacks };
                }
            }

            if (!solution.IsSuccess)
            {
                continue;
            }

            // Polished, so that a piece's point on a window edge or at "no move" costs exactly what it should,
            // and the bounds of the remaining pieces are compared with that.
            var x = Polish(program, solution.X, cost, templates, constraintVariables);
            try
            {
                program.EvaluateAt(x, 0);
            }
            catch (CycleException)
            {
                continue;
            }

            var feasible = templates.Select((t, j) => state.Dof[constraintVariables[j]] is var v && v >= t.OpMin - (1e-6 * Math.Max(1, Math.Abs(t.OpMin))) && v <= t.OpMax + (1e-6 * Math.Max(1, Math.Abs(t.OpMax)))).All(ok => ok);
            if (feasible && state.Dof[cost] < bestCost)
            {
                (best, bestCost) = (solution with { X = x }, state.Dof[cost]);
            }
        }

        var infeasible = best is null && everyPieceInfeasible && closest is not null;
        warnings.Add($"skill '{optimizer.Name}': {1 << kinks} combinations of {kinks} max/min/abs kinks, {(1 << kinks) - pruned} solved and {pruned} ruled out by their cost bound; "
            + (best is not null ? $"the best costs {bestCost:G6}" : infeasible ? "every one is infeasible" : "none succeeded"));
        var answer = best ?? (infeasible ? closest : null);
        return answer is null ? null : answer with { Iterations = iterations, Seconds = seconds, CallbackSeconds = callbacks };
    }

    /// <summary>
    /// Puts the solution inside its bounds (IPOPT relaxes them by about 1e-8), then moves each variable that
    /// the interior-point method left a hair away from a bound or from its current value onto it, when that is
    /// no worse for the cost and the constraints. Optima of these problems often sit on a move-window edge or,
    /// with the seed's intervention penalties, exactly at "no move".
    /// </summary>
    private double[] Polish(CompositionProgram program, double[] solution, int cost, IReadOnlyList<ConstraintTemplate> templates, int[] constraintVariables)
    {
        var shape = program.Shape;
        var x = Clamp(shape, solution);
        double Violation()
        {
            WorstViolation(templates, constraintVariables, out var worst);
            return worst;
        }

        try
        {
            program.EvaluateAt(x, 0);
            var (bestCost, bestViolation) = (state.Dof[cost], Violation());
            for (var i = 0; i < x.Length; i++)
            {
                var width = Math.Max(1, shape.UpperBounds[i] - shape.LowerBounds[i]);
                foreach (var bound in new[] { shape.LowerBounds[i], shape.UpperBounds[i], shape.Start[i] })
                {
                    if (!double.IsFinite(bound) || x[i] == bound || Math.Abs(x[i] - bound) > 1e-6 * width
                        || bound < shape.LowerBounds[i] || bound > shape.UpperBounds[i])
                    {
                        continue;
                    }

                    var previous = x[i];
                    x[i] = bound;
                    program.EvaluateAt(x, 0);
                    var (trialCost, trialViolation) = (state.Dof[cost], Violation());
                    if (trialCost <= bestCost && trialViolation <= Math.Max(bestViolation, 0))
                    {
                        (bestCost, bestViolation) = (trialCost, trialViolation);
                    }
                    else
                    {
                        x[i] = previous;
                    }
                }
            }
        }
        catch (CycleException)
        {
            // A snapped point that does not evaluate is simply not taken; the clamped solution stands.
            program.EvaluateAt(solution, 0);
            return Clamp(shape, solution);
        }

        return x;
    }

    private Solution Track(Solution solution)
    {
        if (solution.DerivativeError is { } error)
        {
            _derivativeError = Math.Max(_derivativeError ?? 0, error);
        }

        return solution;
    }

    /// <summary>
    /// Every move window has zero width, so there is nothing to optimize and no solve. The steps are evaluated
    /// at the operating point for the predictions; a step that fails there (the seed's cost divided by a zero
    /// threshold, say) leaves its outputs unavailable (NaN) and says so, instead of failing the whole result.
    /// </summary>
    private OptimizationOutcome HoldWithoutMoves(
        OptimizationSkill optimizer, Workspace workspace, List<IStep> steps, int[] decisions, int cost,
        IReadOnlyList<ConstraintTemplate> templates, int[] constraintVariables, List<ModelStep> models)
    {
        foreach (var step in steps)
        {
            try
            {
                step.Evaluate(workspace, workspace.Buffers[step.Id], 0);
            }
            catch (CycleException ex)
            {
                foreach (var output in step.Outputs)
                {
                    state.Dof[output] = double.NaN;
                }

                warnings.Add($"skill '{optimizer.Name}': every move window is zero, so nothing was solved; {ex.Message}; its outputs are unavailable");
            }
        }

        var atCurrent = steps.SelectMany(s => s.Outputs).Distinct().ToDictionary(v => v, v => state.Dof[v]);
        var worst = WorstViolation(templates, constraintVariables, out var maxViolation);

        var report = new SolverReport(
            optimizer.Name, solver.Name, "Not_Run_Zero_Width_Windows", 0, state.Dof[cost], maxViolation, 0, 0,
            "none", models.DistinctBy(m => m.Id).ToDictionary(m => m.Skill.Name, m => m.Model.DerivativeMode), null);
        return new OptimizationOutcome(decisions, cost, atCurrent, state.Dof[cost], state.Dof[cost],
            worst is null ? SolveStatus.Succeeded : SolveStatus.Infeasible, report, worst);
    }

    private static Dictionary<string, object> Merge(IReadOnlyDictionary<string, object> service, IReadOnlyDictionary<string, object> strategy)
    {
        var merged = new Dictionary<string, object>(service, StringComparer.Ordinal);
        foreach (var (name, value) in strategy)
        {
            merged[name] = value;
        }

        return merged;
    }

    private ConstraintViolation? MostViolated(
        CompositionProgram program, double[] x, IReadOnlyList<ConstraintTemplate> templates, int[] constraintVariables, out double maxViolation)
    {
        maxViolation = 0;
        if (templates.Count == 0)
        {
            return null;
        }

        try
        {
            program.EvaluateAt(x, 0);
        }
        catch (CycleException)
        {
            // The solver's last point does not evaluate; the evaluation error is reported in the solver block.
            maxViolation = double.NaN;
            return null;
        }

        return WorstViolation(templates, constraintVariables, out maxViolation);
    }

    /// <summary>The constraint furthest outside its range at the state's dof values, and by how much (0 when none is).</summary>
    private ConstraintViolation? WorstViolation(IReadOnlyList<ConstraintTemplate> templates, int[] constraintVariables, out double maxViolation)
    {
        maxViolation = 0;
        ConstraintViolation? worst = null;
        for (var j = 0; j < templates.Count; j++)
        {
            var (t, value) = (templates[j], state.Dof[constraintVariables[j]]);
            var amount = Math.Max(t.OpMin - value, value - t.OpMax);
            if (amount > maxViolation)
            {
                (maxViolation, worst) = (amount, new ConstraintViolation(t.PredictedVariable, value, t.OpMin, t.OpMax, amount));
            }
        }

        return worst;
    }

    // IPOPT relaxes bounds by about 1e-8; what is published stays inside them.
    private static double[] Clamp(ProgramShape shape, double[] x) =>
        [.. x.Select((v, i) => Math.Clamp(v, shape.LowerBounds[i], shape.UpperBounds[i]))];
}
