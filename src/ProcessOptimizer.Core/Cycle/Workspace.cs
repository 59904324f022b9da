using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// What one solve (or one evaluator) writes while it evaluates a <see cref="WorkspacePlan"/>: the state it evaluates
/// in, the sparse gradients (and Hessians) of every variable and extra row with respect to the decision variables,
/// the extra rows' values and every step's buffers. Rented from its plan and returned by <see cref="Dispose"/>; used
/// by one thread at a time.
/// </summary>
/// <remarks>
/// Slots number the variables, then the extra rows. Each slot's gradient holds only the decision variables it can
/// depend on (<see cref="WorkspacePlan.Columns"/>), and its Hessian only the entries that can be non-zero
/// (<see cref="WorkspacePlan.Entries"/>). A returned workspace refuses to run: whoever still holds it has a defect.
/// </remarks>
internal sealed class Workspace : IDisposable
{
    private VariableState? _state;

    // The state of its own that a copying rent fills, kept with the workspace so that renting allocates nothing.
    private VariableState? _ownState;

    internal Workspace(WorkspacePlan plan)
    {
        Plan = plan;
        Buffers = new StepBuffers[plan.StepCount];
        foreach (var step in plan.Steps)
        {
            Buffers[step.Id] ??= step.CreateBuffers(plan.Order);
        }

        RowBuffers = [.. plan.Rows.Select(r => r.CreateBuffers(plan.Order))];
        RowValues = new double[plan.Rows.Length];
        LastX = new double[plan.Decisions.Length];
        if (plan.Layout is { } layout)
        {
            Gradients = new double[layout.GradientLength];
            Hessians = plan.Order >= 2 ? new double[layout.HessianLength] : [];
        }
    }

    public WorkspacePlan Plan { get; }

    /// <summary>The state the steps read and write.</summary>
    /// <exception cref="ObjectDisposedException">The workspace was returned to its plan.</exception>
    public VariableState State => _state ?? throw new ObjectDisposedException(nameof(Workspace), "the workspace was returned to its plan");

    /// <summary>The value of each extra row at the last <see cref="Run"/>.</summary>
    public double[] RowValues { get; }

    public IReadOnlyList<int> Decisions => Plan.Decisions;

    public double[] Gradients { get; } = [];

    public double[] Hessians { get; } = [];

    /// <summary>Per step id, the step's buffers (only the plan's steps have any).</summary>
    public StepBuffers[] Buffers { get; }

    /// <summary>Per extra row, its buffers.</summary>
    public StepBuffers[] RowBuffers { get; }

    /// <summary>The decisions' values at the last evaluation a program kept, and its order (-1: none).</summary>
    public double[] LastX { get; }

    public int LastOrder { get; set; } = -1;

    public Span<double> Gradient(int slot) => Gradients.AsSpan(Plan.Layout!.GradientStart[slot], Plan.Layout.Columns[slot].Length);

    public Span<double> Hessian(int slot) => Hessians.AsSpan(Plan.Layout!.HessianStart[slot], Plan.Layout.Entries[slot].Length);

    /// <summary>
    /// Evaluates the steps, then the extra rows, at the state's dof values, with derivatives up to
    /// <paramref name="order"/> (at most the plan's).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int order)
    {
        var plan = Plan;
        var state = State;
        order = Math.Min(order, plan.Order);
        var (steps, rows, chains) = (plan.Steps, plan.Rows, plan.Chains);
        for (var e = 0; e < steps.Length; e++)
        {
            var step = steps[e];
            var buffers = Buffers[step.Id];
            var local = order > 0 && chains[e].HasDerivatives ? order : 0;
            step.Evaluate(this, buffers, local);
            if (local > 0)
            {
                chains[e].Apply(this, buffers.Derivatives, buffers.SecondDerivatives, local);
            }
        }

        for (var c = 0; c < rows.Length; c++)
        {
            var buffers = RowBuffers[c];
            var local = order > 0 && chains[steps.Length + c].HasDerivatives ? order : 0;
            RowValues[c] = rows[c].Evaluate(state, buffers, local);
            if (local > 0)
            {
                chains[steps.Length + c].Apply(this, buffers.Derivatives, buffers.SecondDerivatives, local);
            }
        }
    }

    /// <summary>Gives the workspace back to its plan; it must not be used after.</summary>
    public void Dispose()
    {
        if (_state is null)
        {
            return;
        }

        _state = null;
        Plan.Return(this);
    }

    // The shape a program over this workspace was last given, kept with it so that a program allocates none.
    private ProgramShape? _shape;

    /// <summary>
    /// A shape for a program over this workspace: <paramref name="start"/> and the decisions' bounds of
    /// <paramref name="problem"/>, with constraint ranges of this workspace's own, one per constraint and extra row, for
    /// the caller to fill. The same object while the problem's arrays are the same: valid until the workspace is returned.
    /// </summary>
    public ProgramShape ProgramShape(ProgramShape problem, double[] start)
    {
        var rows = problem.ConstraintCount + Plan.Rows.Length;
        if (_shape is not { } shape || shape.Start != start || shape.LowerBounds != problem.LowerBounds || shape.UpperBounds != problem.UpperBounds
            || shape.ConstraintCount != rows)
        {
            var (lower, upper) = _shape?.ConstraintCount == rows ? (_shape.ConstraintLower, _shape.ConstraintUpper) : (new double[rows], new double[rows]);
            _shape = shape = problem with { Start = start, ConstraintLower = lower, ConstraintUpper = upper };
        }

        return shape;
    }

    // As fresh as a new workspace: every derivative zero but each decision's own, nothing remembered.
    internal void Open(VariableState state, bool copy)
    {
        if (copy)
        {
            var own = _ownState ??= state.Copy();
            own.CopyFrom(state);
            _state = own;
        }
        else
        {
            _state = state;
        }

        Array.Clear(Gradients);
        Array.Clear(Hessians);
        Array.Clear(RowValues);
        foreach (var entry in Plan.DecisionEntries)
        {
            Gradients[entry] = 1;
        }

        LastOrder = -1;
    }
}
