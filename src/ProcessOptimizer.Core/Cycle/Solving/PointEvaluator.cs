namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// Evaluates the original steps (kinks and all) at a point, every time from scratch: there is no cache to hit.
/// Each evaluation is copied out into an <see cref="Evaluation"/>.
/// </summary>
/// <param name="state">The state to evaluate in: a copy of the solve's own, or the cycle's for the published point.</param>
internal sealed class PointEvaluator(SolveContext context, VariableState state) : IDisposable
{
    private readonly Workspace _workspace = context.Workspace(context.Steps, 0, state);

    /// <summary>The workspace evaluations run in, with the steps prepared (the models' fixed inputs among them).</summary>
    public Workspace Workspace => _workspace;

    /// <summary>Gives back the workspace.</summary>
    public void Dispose() => _workspace.Dispose();

    public Evaluation Evaluate(ReadOnlySpan<double> x) => EvaluateTaking(x.ToArray());

    /// <summary>As <see cref="Evaluate(ReadOnlySpan{double})"/>, keeping <paramref name="point"/> itself as the evaluation's point: the caller hands over an array nobody else writes.</summary>
    public Evaluation EvaluateTaking(double[] point)
    {
        for (var i = 0; i < point.Length; i++)
        {
            state.Dof[context.Decisions[i]] = point[i];
        }

        try
        {
            foreach (var step in context.Steps)
            {
                step.Evaluate(_workspace, _workspace.Buffers[step.Id], 0);
            }
        }
        catch (CycleException ex)
        {
            return new Evaluation(point, double.NaN, double.NaN, double.NaN, null, ex);
        }

        var (violation, excess, worst) = Standing(context, state.Dof);
        return new Evaluation(point, state.Dof[context.Cost], violation, excess, worst, null);
    }

    /// <summary>
    /// The cost and the reported violation at <paramref name="x"/>, exactly as <see cref="Evaluate"/> gives them
    /// (NaN both when the steps do not evaluate there), without keeping anything: for trying many points of which few
    /// are kept.
    /// </summary>
    public (double Cost, double Violation) Try(ReadOnlySpan<double> x)
    {
        for (var i = 0; i < x.Length; i++)
        {
            state.Dof[context.Decisions[i]] = x[i];
        }

        try
        {
            foreach (var step in context.Steps)
            {
                step.Evaluate(_workspace, _workspace.Buffers[step.Id], 0);
            }
        }
        catch (CycleException)
        {
            return (double.NaN, double.NaN);
        }

        return (state.Dof[context.Cost], Measure(context, state.Dof).Violation);
    }

    /// <summary>
    /// How the constraint values in <paramref name="dof"/> stand: the largest amount outside a range (as
    /// reported), the largest excess over <see cref="FeasibilityRule"/>, and the most violated constraint.
    /// </summary>
    public static (double Violation, double Excess, ConstraintViolation? Worst) Standing(SolveContext context, double[] dof)
    {
        var (violation, excess, worst) = Measure(context, dof);
        if (worst < 0)
        {
            return (violation, excess, null);
        }

        var t = context.Templates[worst];
        var value = dof[context.ConstraintVariables[worst]];
        return (violation, excess, new ConstraintViolation(t.PredictedVariable, value, t.OpMin, t.OpMax, violation));
    }

    // The first constraint with the largest amount is the most violated one (-1: none is violated).
    private static (double Violation, double Excess, int Worst) Measure(SolveContext context, double[] dof)
    {
        var (violation, excess, worst) = (0.0, 0.0, -1);
        for (var j = 0; j < context.Templates.Count; j++)
        {
            var (t, value) = (context.Templates[j], dof[context.ConstraintVariables[j]]);
            if (double.IsNaN(value))
            {
                return (double.NaN, double.NaN, -1);
            }

            var amount = Math.Max(t.OpMin - value, value - t.OpMax);
            if (amount > violation)
            {
                (violation, worst) = (amount, j);
            }

            excess = Math.Max(excess, FeasibilityRule.ScaledExcess(value, context.Shape.ConstraintLower[j], context.Shape.ConstraintUpper[j]));
        }

        return (violation, excess, worst);
    }

    /// <summary>A copy of the state after evaluating at <paramref name="x"/>, for deciding which side of each kink is active there.</summary>
    public VariableState StateAt(ReadOnlySpan<double> x)
    {
        Evaluate(x);
        return state.Copy();
    }
}
