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
        var exactHessian = settings.UseExactHessian && models.Count == 0;
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

        // The operating point must evaluate: if it does not, no solver can start, and the error is the truth to report.
        program.EvaluateAt(start, 0);
        var atCurrent = steps.SelectMany(s => s.Outputs).Distinct().ToDictionary(v => v, v => state.Dof[v]);
        var costAtCurrent = state.Dof[cost];

        var solution = solver.Solve(program, settings with { Options = Merge(settings.Options, optimizer.SolverOptions) }, cancellationToken);
        var violation = MostViolated(program, solution.X, templates, out var maxViolation);
        double costAtRecommended;
        if (solution.IsSuccess)
        {
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
            solution.Objective,
            maxViolation,
            solution.Seconds,
            solution.CallbackSeconds,
            exactHessian ? "exact" : "limited-memory",
            models.DistinctBy(m => m.Id).ToDictionary(m => m.Skill.Name, m => m.Model.DerivativeMode),
            solution.EvaluationError);
        return new OptimizationOutcome(decisions, cost, atCurrent, costAtCurrent, costAtRecommended, solution.Status, report,
            solution.IsSuccess ? null : violation);
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

    private static ConstraintViolation? MostViolated(
        CompositionProgram program, double[] x, IReadOnlyList<ConstraintTemplate> templates, out double maxViolation)
    {
        maxViolation = 0;
        if (templates.Count == 0)
        {
            return null;
        }

        var values = new double[templates.Count];
        try
        {
            program.Constraints(x, values);
        }
        catch (CycleException)
        {
            // The solver's last point does not evaluate; the evaluation error is reported in the solver block.
            maxViolation = double.NaN;
            return null;
        }

        ConstraintViolation? worst = null;
        for (var j = 0; j < templates.Count; j++)
        {
            var t = templates[j];
            var amount = Math.Max(t.OpMin - values[j], values[j] - t.OpMax);
            if (amount > maxViolation)
            {
                maxViolation = amount;
                worst = new ConstraintViolation(t.PredictedVariable, values[j], t.OpMin, t.OpMax, amount);
            }
        }

        return worst;
    }
}
