using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// Everything one OptimizationSkill's solve needs, in one place. <see cref="Base"/> is the cycle's state at the
/// operating point; it is only read: every program and every evaluation works on a copy of its own.
/// </summary>
internal sealed record SolveContext(
    OptimizationSkill Optimizer,
    VariableState Base,
    INonlinearSolver Solver,
    SolverSettings Settings,
    List<string> Warnings,
    IReadOnlyList<IStep> Steps,
    int[] Decisions,
    int Cost,
    IReadOnlyList<ConstraintTemplate> Templates,
    int[] ConstraintVariables,
    ProgramShape Shape,
    bool ExactHessian,
    CancellationToken Cancellation)
{
    public string Name => Optimizer.Name;

    /// <summary>
    /// A workspace over <paramref name="state"/> (by default a copy of the base state of its own), with the steps
    /// prepared in it; rented from the strategy's plan for these steps, so the caller disposes it.
    /// </summary>
    public Workspace Workspace(IReadOnlyList<IStep> steps, int order, VariableState? state = null) =>
        Prepared(Base.Strategy.Plans.Get(steps, [], Decisions, order), state);

    private Workspace Prepared(WorkspacePlan plan, VariableState? state)
    {
        var workspace = state is null ? plan.RentCopy(Base) : plan.Rent(state);
        var prepared = workspace.State;
        foreach (var step in plan.Steps)
        {
            // A step that appears twice is prepared twice into the same buffers, as before plans were kept.
            step.Prepare(prepared, workspace.Buffers[step.Id], Warnings);
        }

        return workspace;
    }

    /// <summary>
    /// A program over <paramref name="steps"/> from <paramref name="start"/>, in a state of its own, with extra
    /// rows after the constraints: each of <paramref name="rows"/> with the bounds given beside it. The caller
    /// disposes it when its solve is done.
    /// </summary>
    public CompositionProgram Program(IReadOnlyList<IStep> steps, double[] start, IReadOnlyList<(ConditionRow Row, double Lower, double Upper)> rows)
    {
        var (templates, all) = (Shape.ConstraintLower.Length, Shape.ConstraintLower.Length + rows.Count);
        var (lower, upper) = (new double[all], new double[all]);
        Shape.ConstraintLower.CopyTo(lower, 0);
        Shape.ConstraintUpper.CopyTo(upper, 0);
        var extra = rows.Count == 0 ? [] : new ConditionRow[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            (extra[r], lower[templates + r], upper[templates + r]) = rows[r];
        }

        var shape = Shape with { Start = start, ConstraintLower = lower, ConstraintUpper = upper };
        var plan = Base.Strategy.Plans.Get(steps, extra, Decisions, ExactHessian ? 2 : 1, Cost, ConstraintVariables);
        return new CompositionProgram(Prepared(plan, null), shape, ExactHessian);
    }

    /// <summary><paramref name="x"/> inside the move windows: IPOPT relaxes bounds by about 1e-8, and what is published stays inside.</summary>
    public double[] Clamp(ReadOnlySpan<double> x)
    {
        var inside = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            inside[i] = Math.Clamp(x[i], Shape.LowerBounds[i], Shape.UpperBounds[i]);
        }

        return inside;
    }
}
