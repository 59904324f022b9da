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

    /// <summary>A workspace over <paramref name="state"/> (by default a fresh copy of the base state), with the steps prepared in it.</summary>
    public Workspace Workspace(IReadOnlyList<IStep> steps, int order, VariableState? state = null, IReadOnlyList<ConditionRow>? rows = null)
    {
        state ??= Base.Copy();
        var workspace = new Workspace(state, steps, Decisions, order, rows);
        foreach (var step in steps.DistinctBy(s => s.Id))
        {
            step.Prepare(state, workspace.Buffers[step.Id], Warnings);
        }

        return workspace;
    }

    /// <summary>
    /// A program over <paramref name="steps"/> from <paramref name="start"/>, in a state of its own, with extra
    /// rows after the constraints: each of <paramref name="rows"/> with the bounds given beside it.
    /// </summary>
    public CompositionProgram Program(IReadOnlyList<IStep> steps, double[] start, IReadOnlyList<(ConditionRow Row, double Lower, double Upper)> rows)
    {
        var shape = Shape with
        {
            Start = start,
            ConstraintLower = [.. Shape.ConstraintLower, .. rows.Select(r => r.Lower)],
            ConstraintUpper = [.. Shape.ConstraintUpper, .. rows.Select(r => r.Upper)],
        };
        return new CompositionProgram(Workspace(steps, ExactHessian ? 2 : 1, rows: [.. rows.Select(r => r.Row)]), Cost, ConstraintVariables, shape, ExactHessian);
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
