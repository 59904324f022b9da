using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// What a <see cref="CompositionProgram"/> declares and where its values go, fixed by its plan: the Jacobian's rows
/// (the constraint variables, then the plan's extra rows) and the Lagrangian Hessian's entries (the union of the cost's
/// and every row's), with each slot's place in them. Immutable; one per <see cref="WorkspacePlan"/>.
/// </summary>
internal sealed class ProgramStructure
{
    public ProgramStructure(WorkspacePlan plan, int cost, int[] constraints, bool exactHessian)
    {
        Cost = cost;
        Constraints = constraints;
        RowSlots = [.. constraints, .. Enumerable.Range(0, plan.Rows.Length).Select(plan.RowSlot)];
        var (rows, columns) = (new List<int>(), new List<int>());
        JacobianStart = new int[RowSlots.Length];
        for (var j = 0; j < RowSlots.Length; j++)
        {
            JacobianStart[j] = rows.Count;
            foreach (var column in plan.Columns(RowSlots[j]))
            {
                rows.Add(j);
                columns.Add(column);
            }
        }

        JacobianStructure = new SparsityPattern([.. rows], [.. columns]);
        if (!exactHessian)
        {
            return;
        }

        // The Lagrangian's pattern is the union of the cost's and every row's.
        var union = plan.Entries(cost).Concat(RowSlots.SelectMany(plan.Entries)).Distinct().Order().ToArray();
        HessianStructure = new SparsityPattern(
            [.. union.Select(k => DerivativeLayout.Entry(k).Row)], [.. union.Select(k => DerivativeLayout.Entry(k).Column)]);
        int[] Positions(int slot) => [.. plan.Entries(slot).Select(k => Array.BinarySearch(union, k))];
        CostPositions = Positions(cost);
        RowPositions = [.. RowSlots.Select(Positions)];
    }

    public int Cost { get; }

    /// <summary>The constraint variables, in the order of the program's first rows.</summary>
    public int[] Constraints { get; }

    /// <summary>The slot of each Jacobian row: the constraint variables, then the extra rows.</summary>
    public int[] RowSlots { get; }

    /// <summary>Where each row's entries start among the Jacobian's values.</summary>
    public int[] JacobianStart { get; }

    public SparsityPattern JacobianStructure { get; }

    public SparsityPattern HessianStructure { get; } = SparsityPattern.Empty;

    /// <summary>For each Hessian entry of the cost, its place among the Lagrangian's.</summary>
    public int[] CostPositions { get; } = [];

    /// <summary>Per row, for each of its Hessian entries, its place among the Lagrangian's.</summary>
    public int[][] RowPositions { get; } = [];
}
