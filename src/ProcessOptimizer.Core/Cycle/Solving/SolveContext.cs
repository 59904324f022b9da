using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// Everything one OptimizationSkill's solve needs, in one place. <see cref="Base"/> is the cycle's state at the
/// operating point; it is only read: every program and every evaluation works on a copy of its own.
/// </summary>
/// <remarks>A value: one is made per optimization of every cycle, and what holds it (the search, its log, its evaluators) copies its references.</remarks>
internal readonly record struct SolveContext(
    OptimizationSkill Optimizer,
    VariableState Base,
    INonlinearSolver Solver,
    SolverSettings Settings,
    CycleWarnings Warnings,
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
    /// rows after the constraints: <paramref name="conditions"/>, each ≥ 0, then <paramref name="free"/>, unbounded.
    /// The caller disposes it when its solve is done.
    /// </summary>
    /// <remarks>
    /// The program's bounds and shape are its workspace's, rented with it for this program alone: a program never
    /// outlives its solve, and what a solve keeps (its solution) is its own.
    /// </remarks>
    public CompositionProgram Program(IReadOnlyList<IStep> steps, double[] start, IReadOnlyList<ConditionRow> conditions, IReadOnlyList<ConditionRow> free)
    {
        // The plan is looked up by the rows themselves; a list of both is made only when there are both.
        IReadOnlyList<ConditionRow> rows = free.Count == 0 ? conditions : conditions.Count == 0 ? free : [.. conditions, .. free];
        var plan = Base.Strategy.Plans.Get(steps, rows, Decisions, ExactHessian ? 2 : 1, Cost, ConstraintVariables);
        var workspace = Prepared(plan, null);
        var shape = workspace.ProgramShape(Shape, start);
        var (templates, lower, upper) = (Shape.ConstraintLower.Length, shape.ConstraintLower, shape.ConstraintUpper);
        Shape.ConstraintLower.CopyTo(lower, 0);
        Shape.ConstraintUpper.CopyTo(upper, 0);
        lower.AsSpan(templates, conditions.Count).Clear();
        lower.AsSpan(templates + conditions.Count).Fill(double.NegativeInfinity);
        upper.AsSpan(templates).Fill(double.PositiveInfinity);
        return new CompositionProgram(workspace, shape, ExactHessian);
    }

    /// <summary><paramref name="x"/> inside the move windows, written into <paramref name="inside"/>: IPOPT relaxes bounds by about 1e-8, and what is published stays inside.</summary>
    public double[] Clamp(ReadOnlySpan<double> x, double[] inside)
    {
        for (var i = 0; i < x.Length; i++)
        {
            inside[i] = Math.Clamp(x[i], Shape.LowerBounds[i], Shape.UpperBounds[i]);
        }

        return inside;
    }
}
