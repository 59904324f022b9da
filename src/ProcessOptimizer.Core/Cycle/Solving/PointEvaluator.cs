namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// Evaluates the original steps (kinks and all) at a point, every time from scratch: there is no cache to hit.
/// Each evaluation is copied out into an <see cref="Evaluation"/>.
/// </summary>
/// <param name="state">The state to evaluate in: a copy of the solve's own, or the cycle's for the published point.</param>
/// <remarks>A value: its fields are references that never change, so a copy evaluates as the original does.</remarks>
internal readonly struct PointEvaluator(SolveContext context, VariableState state) : IDisposable
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
        var (cost, violation, excess, worst, failure) = At(point);
        return new Evaluation(point, cost, violation, excess, worst, failure);
    }

    /// <summary>
    /// What <see cref="Evaluate(ReadOnlySpan{double})"/> gives at <paramref name="x"/>, without copying the point: for a
    /// point its caller keeps unchanged while it reads the answer (the published one, the operating point).
    /// </summary>
    public PointStanding At(ReadOnlySpan<double> x)
    {
        for (var i = 0; i < x.Length; i++)
        {
            state.Dof[context.Decisions[i]] = x[i];
        }

        try
        {
            Run();
        }
        catch (CycleException ex)
        {
            return new PointStanding(double.NaN, double.NaN, double.NaN, null, ex);
        }

        var (violation, excess, worst) = Standing(context, state.Dof);
        return new PointStanding(state.Dof[context.Cost], violation, excess, worst, null);
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
            Run();
        }
        catch (CycleException)
        {
            return (double.NaN, double.NaN);
        }

        return (state.Dof[context.Cost], Measure(context, state.Dof).Violation);
    }

    // By index: the steps are an interface, and a foreach over one boxed an enumerator per evaluation.
    private void Run()
    {
        var steps = context.Steps;
        for (var s = 0; s < steps.Count; s++)
        {
            steps[s].Evaluate(_workspace, _workspace.Buffers[steps[s].Id], 0);
        }
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
    /// <remarks>The state is the same as after <see cref="Evaluate"/>; nothing else of the evaluation is kept.</remarks>
    public VariableState StateAt(ReadOnlySpan<double> x)
    {
        Try(x);
        return state.Copy();
    }
}
