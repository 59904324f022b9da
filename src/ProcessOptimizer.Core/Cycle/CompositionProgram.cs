using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// The optimizer's problem: minimise the cost feature computed by the cost skill, with one constraint row
/// per Constraints entry, then the workspace's extra rows (branch conditions). Gradients and the constraint
/// Jacobian come from forward-mode chain rule through the compiled steps; the Hessian is exact when every step is a
/// formula. Only structural non-zeros are declared and written.
/// </summary>
internal sealed class CompositionProgram : INonlinearProgram
{
    private readonly Workspace _workspace;
    private readonly int _cost;
    private readonly int[] _constraints;
    private readonly int[] _rowSlots;
    private readonly int[] _jacobianStart;
    private readonly int[] _costPositions;
    private readonly int[][] _rowPositions;
    private readonly double[] _lastX;
    private int _lastOrder = -1;

    /// <param name="workspace">Evaluates the steps and, after the constraint rows, its extra rows <c>c(x)</c> (bounds are in the shape).</param>
    public CompositionProgram(Workspace workspace, int cost, int[] constraints, ProgramShape shape, bool exactHessian)
    {
        _workspace = workspace;
        _cost = cost;
        _constraints = constraints;
        Shape = shape;
        HasExactHessian = exactHessian;
        _lastX = new double[shape.VariableCount];
        _rowSlots = [.. constraints, .. Enumerable.Range(0, workspace.Rows.Count).Select(workspace.RowSlot)];

        var (rows, columns) = (new List<int>(), new List<int>());
        _jacobianStart = new int[_rowSlots.Length];
        for (var j = 0; j < _rowSlots.Length; j++)
        {
            _jacobianStart[j] = rows.Count;
            foreach (var column in workspace.Columns(_rowSlots[j]))
            {
                rows.Add(j);
                columns.Add(column);
            }
        }

        JacobianStructure = new SparsityPattern([.. rows], [.. columns]);
        if (!exactHessian)
        {
            (HessianStructure, _costPositions, _rowPositions) = (SparsityPattern.Empty, [], []);
            return;
        }

        // The Lagrangian's pattern is the union of the cost's and every row's.
        var union = workspace.Entries(cost).Concat(_rowSlots.SelectMany(workspace.Entries)).Distinct().Order().ToArray();
        HessianStructure = new SparsityPattern(
            [.. union.Select(k => DerivativeLayout.Entry(k).Row)], [.. union.Select(k => DerivativeLayout.Entry(k).Column)]);
        int[] Positions(int slot) => [.. workspace.Entries(slot).Select(k => Array.BinarySearch(union, k))];
        _costPositions = Positions(cost);
        _rowPositions = [.. _rowSlots.Select(Positions)];
    }

    public ProgramShape Shape { get; }

    public bool HasExactHessian { get; }

    public SparsityPattern JacobianStructure { get; }

    public SparsityPattern HessianStructure { get; }

    /// <summary>Evaluates every step at <paramref name="x"/>, leaving the dof values there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EvaluateAt(ReadOnlySpan<double> x, int order)
    {
        if (_lastOrder >= order && x.SequenceEqual(_lastX))
        {
            return;
        }

        _lastOrder = -1;
        var dof = _workspace.State.Dof;
        for (var i = 0; i < x.Length; i++)
        {
            dof[_workspace.Decisions[i]] = x[i];
        }

        _workspace.Run(order);
        x.CopyTo(_lastX);
        _lastOrder = order;
    }

    // Value and gradient together cost little more than the value, and IPOPT asks for both at most points.
    public double Objective(ReadOnlySpan<double> x)
    {
        EvaluateAt(x, 1);
        return _workspace.State.Dof[_cost];
    }

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        EvaluateAt(x, 1);
        gradient.Clear();
        var columns = _workspace.Columns(_cost);
        var values = _workspace.Gradient(_cost);
        for (var t = 0; t < columns.Length; t++)
        {
            gradient[columns[t]] = values[t];
        }
    }

    public void Constraints(ReadOnlySpan<double> x, Span<double> values)
    {
        EvaluateAt(x, 1);
        for (var j = 0; j < _constraints.Length; j++)
        {
            values[j] = _workspace.State.Dof[_constraints[j]];
        }

        _workspace.RowValues.CopyTo(values[_constraints.Length..]);
    }

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
    {
        EvaluateAt(x, 1);
        for (var j = 0; j < _rowSlots.Length; j++)
        {
            _workspace.Gradient(_rowSlots[j]).CopyTo(values[_jacobianStart[j]..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
    {
        if (!HasExactHessian)
        {
            throw new InvalidOperationException("this program has no exact Hessian");
        }

        EvaluateAt(x, 2);
        values.Clear();
        Add(objectiveFactor, _workspace.Hessian(_cost), _costPositions, values);
        for (var j = 0; j < _rowSlots.Length; j++)
        {
            Add(multipliers[j], _workspace.Hessian(_rowSlots[j]), _rowPositions[j], values);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add(double factor, ReadOnlySpan<double> hessian, int[] positions, Span<double> values)
    {
        if (factor == 0)
        {
            return;
        }

        for (var t = 0; t < positions.Length; t++)
        {
            values[positions[t]] += factor * hessian[t];
        }
    }
}
