using System.Runtime.ExceptionServices;
using ProcessOptimizer.Core.Cycle.Solving;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// One run of an OptimizationSkill: builds the problem, has <see cref="CandidateSearch"/> choose a point, and
/// publishes one fresh evaluation of the steps at that point (or at the operating point when it holds).
/// </summary>
// A struct: one is made per optimization of every cycle, and nothing keeps it past its run.
internal readonly struct Optimization(
    CompiledStrategy strategy,
    VariableState state,
    INonlinearSolver solver,
    SolverSettings settings,
    CycleWarnings warnings,
    CancellationToken cancellationToken)
{
    /// <param name="fixedPoint">Values of decision variables to evaluate instead of solving (a backtest's "what the operators did"); the others stay at their current value.</param>
    /// <param name="work">Rented from <paramref name="plan"/> for this run alone; the outcome reads its arrays until the cycle's result is built.</param>
    public OptimizationOutcome Run(
        OptimizationSkill optimizer, OptimizerPlan plan, OptimizationWork work, IReadOnlyDictionary<int, (double Lower, double Upper)> bounds, IReadOnlyList<ConstraintTemplate> templates,
        IReadOnlyDictionary<int, double>? fixedPoint = null)
    {
        var (decisions, steps, models, derivatives) = (plan.Decisions, plan.Steps, plan.Models, plan.Derivatives);
        foreach (var model in models)
        {
            if (model.Model.DerivativeNote is { } note)
            {
                warnings.Add($"skill '{model.Skill.Name}': derivatives by finite differences because {note}");
            }
        }

        warnings.AddRange(plan.StepWarnings);
        var (start, lower, upper) = (work.Start, work.Lower, work.Upper);
        for (var i = 0; i < decisions.Length; i++)
        {
            start[i] = state.Current[decisions[i]];
            if (!bounds.TryGetValue(decisions[i], out var window))
            {
                var variable = strategy.Variables[decisions[i]];
                warnings.Add($"skill '{optimizer.Name}': no Bounds skill ran for '{variable.Name}' before the optimizer; its hard limits are used");
                window = (variable.MinHardLimit, variable.MaxHardLimit);
            }

            (lower[i], upper[i]) = window;
        }

        work.Constraints(templates.Count);
        var (shape, constraintVariables) = (work.Shape, work.ConstraintVariables);
        for (var j = 0; j < templates.Count; j++)
        {
            (shape.ConstraintLower[j], shape.ConstraintUpper[j]) = (Bound.FromStrategy(templates[j].OpMin), Bound.FromStrategy(templates[j].OpMax));
            constraintVariables[j] = strategy.Index(templates[j].PredictedVariable);
        }

        var context = new SolveContext(
            optimizer, state, solver, WithOptions(settings, optimizer.SolverOptions), warnings, steps, decisions,
            strategy.Index(optimizer.CostFeatureName), templates, constraintVariables, shape, settings.UseExactHessian, cancellationToken);
        // With models, the Hessian is exact for the formulas and takes the models' curvature from their Jacobians;
        // L-BFGS stalls on the seed's kind of cost (products of max() terms).
        var hessian = !context.ExactHessian ? "limited-memory" : models.Length == 0 ? "exact" : "exact-formulas-model-curvature";
        if (fixedPoint is null && AllZeroWidth(lower, upper))
        {
            return ZeroWidthWindows.Hold(context, derivatives);
        }

        // Everything published is evaluated here, in the cycle's state, and nowhere else.
        using var publisher = new PointEvaluator(context, state);
        var atStart = publisher.At(start);
        if (atStart.Failure is { } failure)
        {
            // The operating point must evaluate: if it does not, no solver can start, and the error is the truth to report.
            ExceptionDispatchInfo.Throw(failure);
        }

        var atCurrent = work.AtCurrent;
        for (var o = 0; o < atCurrent.Length; o++)
        {
            atCurrent[o] = state.Dof[plan.Outputs[o]];
        }

        if (fixedPoint is not null)
        {
            return AtPoint(context, publisher, Point(decisions, fixedPoint), plan.Outputs, atCurrent, atStart.Cost, derivatives);
        }

        var (solveContext, missed) = ConstantConstraints.Split(context, state.Dof);
        if (missed is not null)
        {
            return Held(context, atStart, plan.Outputs, atCurrent, missed, hessian, derivatives);
        }

        SearchResult search;
        using (var searching = CandidateSearch.Start(solveContext, work))
        {
            search = searching.Run();
        }

        // The chosen point is the candidate's own array and the start the work's: both stay as they are meanwhile.
        var published = search.Chosen is { } chosen ? chosen.Point.X : start;
        var final = publisher.At(published);
        for (var i = 0; i < decisions.Length; i++)
        {
            state.Recommended[decisions[i]] = published[i];
        }

        if (search.Chosen is { Converged: false, Moved: { } moved })
        {
            warnings.Add($"skill '{optimizer.Name}': the solve did not converge ({search.SolverStatus}); where it stopped, {moved}, which costs no more and meets the constraints as well (a slope that grows without bound at a bound, as sqrt's does at 0, stops the solver a hair short of it); the point is not proven optimal");
        }
        else if (search.Chosen is { Converged: false })
        {
            warnings.Add($"skill '{optimizer.Name}': the recommended point meets the constraints but comes from a solve that did not converge ({search.SolverStatus}); it is not proven optimal");
        }
        else if (search.Chosen is null && search.Closest is { } closest)
        {
            var variables = strategy.Variables;
            warnings.Add(ClosestPoint.Describe(optimizer.Name, [.. decisions.Select(v => variables[v].Name)], closest.Point));
        }

        var log = search.Log;
        var report = new SolverReport(
            optimizer.Name, solver.Name, search.SolverStatus, log.Iterations, final.Cost, final.Violation, log.Seconds, log.CallbackSeconds,
            hessian, derivatives, log.EvaluationError, log.DerivativeError) { Starts = search.Starts, Solves = log.Solves, WarmStarts = log.WarmStarted };
        return new OptimizationOutcome(decisions, context.Cost, plan.Outputs, atCurrent, atStart.Cost, final.Cost, search.Status, report,
            search.Chosen is null ? final.MostViolated : null, search.Chosen is not null) { WarmSolves = log.WarmSolves };
    }

    // The lambdas below are in methods of their own: a closure over Run's parameters was made at every run.
    // (A lambda in a struct cannot read its fields, hence the locals.)
    private double[] Point(int[] decisions, IReadOnlyDictionary<int, double> fixedPoint)
    {
        var current = state.Current;
        return [.. decisions.Select(v => fixedPoint.GetValueOrDefault(v, current[v]))];
    }

    // A constraint no decision moves misses its range: nothing is solved, every value is held at the operating point.
    private OptimizationOutcome Held(SolveContext context, PointStanding atStart, int[] outputs, double[] atCurrent, ConstraintViolation missed, string hessian, IReadOnlyDictionary<string, string> derivatives)
    {
        for (var i = 0; i < context.Decisions.Length; i++)
        {
            state.Recommended[context.Decisions[i]] = context.Shape.Start[i];
        }

        var report = new SolverReport(context.Name, solver.Name, "Not_Run_Constant_Constraint_Missed", 0, atStart.Cost, atStart.Violation, 0, 0, hessian, derivatives, null);
        return new OptimizationOutcome(context.Decisions, context.Cost, outputs, atCurrent, atStart.Cost, atStart.Cost, SolveStatus.Infeasible, report, missed, Publishes: false);
    }

    private static bool AllZeroWidth(double[] lower, double[] upper)
    {
        for (var i = 0; i < lower.Length; i++)
        {
            if (lower[i] != upper[i])
            {
                return false;
            }
        }

        return true;
    }

    // The strategy's options applied last; settings are copied only when a strategy has options of its own.
    private static SolverSettings WithOptions(SolverSettings settings, IReadOnlyDictionary<string, object> strategy)
    {
        if (strategy.Count == 0)
        {
            return settings;
        }

        var merged = new Dictionary<string, object>(settings.Options, StringComparer.Ordinal);
        foreach (var (name, value) in strategy)
        {
            merged[name] = value;
        }

        return settings with { Options = merged };
    }

    // The point is published as given, outside the move windows too: it is what happened, not what may be recommended.
    private OptimizationOutcome AtPoint(SolveContext context, PointEvaluator publisher, double[] point, int[] outputs, double[] atCurrent, double costAtCurrent, IReadOnlyDictionary<string, string> derivatives)
    {
        var final = publisher.Evaluate(point);
        if (final.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        for (var i = 0; i < context.Decisions.Length; i++)
        {
            state.Recommended[context.Decisions[i]] = final.X[i];
        }

        var report = new SolverReport(context.Name, "none", "Not_Run_Evaluated_At_Point", 0, final.Cost, final.Violation, 0, 0, "none", derivatives, null);
        return new OptimizationOutcome(context.Decisions, context.Cost, outputs, atCurrent, costAtCurrent, final.Cost, SolveStatus.Succeeded, report, final.MostViolated, Publishes: true);
    }
}
