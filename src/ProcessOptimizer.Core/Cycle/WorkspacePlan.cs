using Microsoft.Extensions.ObjectPool;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// Everything about evaluating a list of steps (then extra rows) that does not change between solves: the
/// derivatives' structure (<see cref="DerivativeLayout"/>), the chain rule of every step (<see cref="ChainPlan"/>),
/// and for a program the structure it declares (<see cref="ProgramStructure"/>). Built once per shape of problem by
/// <see cref="PlanCache"/>; immutable and shared by concurrent solves.
/// </summary>
/// <remarks>
/// What a solve writes lives in a <see cref="Workspace"/> rented from the plan's pool and returned when the solve is
/// done, so that two solves never share scratch and a warm cycle allocates none.
/// </remarks>
internal sealed class WorkspacePlan
{
    private readonly DefaultObjectPool<Workspace> _pool;

    /// <exception cref="CycleException">The derivatives' structure is larger than <see cref="DerivativeLayout.MaxEntries"/>.</exception>
    public WorkspacePlan(PlanKey key, int variables, int stepCount)
    {
        (Steps, Rows, Decisions, Order, Variables, StepCount) = (key.Steps, key.Rows, key.Decisions, key.Order, variables, stepCount);
        if (Order > 0)
        {
            List<(int[] Outputs, LocalDerivatives Local)> evaluables =
                [.. Steps.Select(s => (s.Outputs.ToArray(), s.Derivatives)), .. Rows.Select((r, c) => (new[] { variables + c }, r.Derivatives))];
            Layout = DerivativeLayout.Build(variables + Rows.Length, Decisions, evaluables, Order >= 2);
            Chains = [.. evaluables.Select(e => new ChainPlan(e.Outputs, e.Local, Layout, Order >= 2))];
            DecisionEntries = [.. Decisions.Select((d, i) => Layout.GradientStart[d] + Array.BinarySearch(Layout.Columns[d], i))];
        }

        if (key.Cost >= 0)
        {
            Program = new ProgramStructure(this, key.Cost, key.Constraints, exactHessian: Order >= 2);
        }

        _pool = new DefaultObjectPool<Workspace>(new Policy(this));
    }

    public IStep[] Steps { get; }

    public ConditionRow[] Rows { get; }

    public int[] Decisions { get; }

    /// <summary>The highest derivative order the plan's workspaces compute: 0 without decisions.</summary>
    public int Order { get; }

    /// <summary>The strategy's variables; the extra rows' slots follow them.</summary>
    public int Variables { get; }

    public int StepCount { get; }

    /// <summary>Null at order 0.</summary>
    public DerivativeLayout? Layout { get; }

    /// <summary>Per step, then per extra row, its chain rule; empty at order 0.</summary>
    public ChainPlan[] Chains { get; } = [];

    /// <summary>Where in the gradients each decision's derivative with respect to itself (1) sits.</summary>
    public int[] DecisionEntries { get; } = [];

    /// <summary>The structure a program over this plan declares; null when the plan is not a program's.</summary>
    public ProgramStructure? Program { get; }

    /// <summary>The slot of extra row <paramref name="row"/>.</summary>
    public int RowSlot(int row) => Variables + row;

    /// <summary>The decision variables (indices) that the slot's gradient entries belong to.</summary>
    public int[] Columns(int slot) => Layout?.Columns[slot] ?? [];

    /// <summary>The Hessian entries of the slot, as <see cref="DerivativeLayout.Key"/>s.</summary>
    public long[] Entries(int slot) => Layout?.Entries[slot] ?? [];

    /// <summary>A workspace of this plan evaluating in <paramref name="state"/> itself; dispose it to give it back.</summary>
    public Workspace Rent(VariableState state)
    {
        var workspace = _pool.Get();
        workspace.Open(state, copy: false);
        return workspace;
    }

    /// <summary>A workspace of this plan evaluating in a state of its own, a copy of <paramref name="source"/>; dispose it to give it back.</summary>
    public Workspace RentCopy(VariableState source)
    {
        var workspace = _pool.Get();
        workspace.Open(source, copy: true);
        return workspace;
    }

    internal void Return(Workspace workspace) => _pool.Return(workspace);

    private sealed class Policy(WorkspacePlan plan) : IPooledObjectPolicy<Workspace>
    {
        public Workspace Create() => new(plan);

        public bool Return(Workspace obj) => true;
    }
}
