using System.Runtime.CompilerServices;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// Evaluation state over one <see cref="VariableState"/>: the steps in order, then any extra rows (branch
/// conditions), with the sparse gradients (and Hessians) of every variable and row with respect to the decision
/// variables, and each step's buffers. One per solve; not thread-safe.
/// </summary>
/// <remarks>
/// Slots number the variables, then the extra rows. Each slot's gradient holds only the decision variables it can
/// depend on (<see cref="Columns"/>), and its Hessian only the entries that can be non-zero (<see cref="Entries"/>).
/// </remarks>
internal sealed class Workspace
{
    private readonly ChainPlan[] _plans = [];
    private readonly DerivativeLayout? _layout;
    private readonly int _order;

    /// <exception cref="CycleException">The derivatives' structure is larger than <see cref="DerivativeLayout.MaxEntries"/>.</exception>
    public Workspace(VariableState state, IReadOnlyList<IStep> steps, IReadOnlyList<int> decisions, int order, IReadOnlyList<ConditionRow>? rows = null)
    {
        State = state;
        Steps = steps;
        Rows = rows ?? [];
        Decisions = decisions;
        DecisionCount = decisions.Count;
        RowValues = new double[Rows.Count];
        Buffers = new StepBuffers[state.Strategy.StepCount];
        foreach (var step in steps)
        {
            Buffers[step.Id] ??= step.CreateBuffers(order);
        }

        _order = decisions.Count == 0 ? 0 : order;
        if (_order == 0)
        {
            return;
        }

        var variables = state.Dof.Length;
        List<(int[] Outputs, LocalDerivatives Local)> evaluables =
            [.. steps.Select(s => (s.Outputs.ToArray(), s.Derivatives)), .. Rows.Select((r, c) => (new[] { variables + c }, r.Derivatives))];
        _layout = DerivativeLayout.Build(variables + Rows.Count, decisions, evaluables, order >= 2);
        _plans = [.. evaluables.Select(e => new ChainPlan(e.Outputs, e.Local, _layout, order >= 2))];
        Gradients = new double[_layout.GradientLength];
        Hessians = order >= 2 ? new double[_layout.HessianLength] : [];
        for (var i = 0; i < decisions.Count; i++)
        {
            Gradient(decisions[i])[Array.BinarySearch(_layout.Columns[decisions[i]], i)] = 1;
        }
    }

    public VariableState State { get; }

    public IReadOnlyList<IStep> Steps { get; }

    public IReadOnlyList<ConditionRow> Rows { get; }

    /// <summary>The value of each extra row at the last <see cref="Run"/>.</summary>
    public double[] RowValues { get; }

    public IReadOnlyList<int> Decisions { get; }

    public int DecisionCount { get; }

    public double[] Gradients { get; } = [];

    public double[] Hessians { get; } = [];

    public StepBuffers[] Buffers { get; }

    /// <summary>The slot of extra row <paramref name="row"/>.</summary>
    public int RowSlot(int row) => State.Dof.Length + row;

    /// <summary>The decision variables (indices) that the slot's gradient entries belong to.</summary>
    public int[] Columns(int slot) => _layout?.Columns[slot] ?? [];

    /// <summary>The Hessian entries of the slot, as <see cref="DerivativeLayout.Key"/>s.</summary>
    public long[] Entries(int slot) => _layout?.Entries[slot] ?? [];

    public Span<double> Gradient(int slot) => Gradients.AsSpan(_layout!.GradientStart[slot], _layout.Columns[slot].Length);

    public Span<double> Hessian(int slot) => Hessians.AsSpan(_layout!.HessianStart[slot], _layout.Entries[slot].Length);

    /// <summary>
    /// Evaluates the steps, then the extra rows, at the state's dof values, with derivatives up to
    /// <paramref name="order"/> (at most the order the workspace was made for).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(int order)
    {
        order = Math.Min(order, _order);
        for (var e = 0; e < Steps.Count; e++)
        {
            var step = Steps[e];
            var buffers = Buffers[step.Id];
            var local = order > 0 && _plans[e].HasDerivatives ? order : 0;
            step.Evaluate(this, buffers, local);
            if (local > 0)
            {
                _plans[e].Apply(this, buffers.Derivatives, buffers.SecondDerivatives, local);
            }
        }

        for (var c = 0; c < Rows.Count; c++)
        {
            var row = Rows[c];
            var local = order > 0 && _plans[Steps.Count + c].HasDerivatives ? order : 0;
            RowValues[c] = row.Evaluate(State, local);
            if (local > 0)
            {
                _plans[Steps.Count + c].Apply(this, row.First, row.Second, local);
            }
        }
    }
}
