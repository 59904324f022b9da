using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// The optimizer's problem: minimise the cost feature computed by the cost skill, with one constraint row
/// per Constraints entry, then the workspace's extra rows (branch conditions). Gradients and the constraint
/// Jacobian come from forward-mode chain rule through the compiled steps; the Hessian is exact when every step is a
/// formula. Only structural non-zeros are declared and written.
/// </summary>
/// <remarks>
/// The structure comes from the workspace's plan, built once per shape of problem; the program owns its rented
/// workspace and gives it back when disposed, after which it refuses to evaluate. Evaluating allocates nothing.
/// </remarks>
internal sealed class CompositionProgram : INonlinearProgram, IDisposable
{
    private readonly ProgramStructure _structure;
    private Workspace? _workspace;

    /// <param name="workspace">Rented from a program's plan; evaluates the steps and, after the constraint rows, its extra rows <c>c(x)</c> (bounds are in the shape).</param>
    public CompositionProgram(Workspace workspace, ProgramShape shape, bool exactHessian)
    {
        _workspace = workspace;
        _structure = workspace.Plan.Program ?? throw new ArgumentException("the workspace's plan is not a program's", nameof(workspace));
        Shape = shape;
        HasExactHessian = exactHessian;
    }

    public ProgramShape Shape { get; }

    public bool HasExactHessian { get; }

    public SparsityPattern JacobianStructure => _structure.JacobianStructure;

    public SparsityPattern HessianStructure => _structure.HessianStructure;

    private Workspace Workspace => _workspace ?? throw new ObjectDisposedException(nameof(CompositionProgram), "the program's solve is over and its workspace was given back");

    /// <summary>Evaluates every step at <paramref name="x"/>, leaving the dof values there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EvaluateAt(ReadOnlySpan<double> x, int order)
    {
        var workspace = Workspace;
        if (workspace.LastOrder >= order && x.SequenceEqual(workspace.LastX))
        {
            return;
        }

        workspace.LastOrder = -1;
        var dof = workspace.State.Dof;
        var decisions = workspace.Plan.Decisions;
        for (var i = 0; i < x.Length; i++)
        {
            dof[decisions[i]] = x[i];
        }

        workspace.Run(order);
        x.CopyTo(workspace.LastX);
        workspace.LastOrder = order;
    }

    // Value and gradient together cost little more than the value, and IPOPT asks for both at most points.
    public double Objective(ReadOnlySpan<double> x)
    {
        EvaluateAt(x, 1);
        return Workspace.State.Dof[_structure.Cost];
    }

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        EvaluateAt(x, 1);
        gradient.Clear();
        var workspace = Workspace;
        var columns = workspace.Plan.Columns(_structure.Cost);
        var values = workspace.Gradient(_structure.Cost);
        for (var t = 0; t < columns.Length; t++)
        {
            gradient[columns[t]] = values[t];
        }
    }

    public void Constraints(ReadOnlySpan<double> x, Span<double> values)
    {
        EvaluateAt(x, 1);
        var workspace = Workspace;
        var constraints = _structure.Constraints;
        for (var j = 0; j < constraints.Length; j++)
        {
            values[j] = workspace.State.Dof[constraints[j]];
        }

        workspace.RowValues.CopyTo(values[constraints.Length..]);
    }

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
    {
        EvaluateAt(x, 1);
        var workspace = Workspace;
        var (slots, starts) = (_structure.RowSlots, _structure.JacobianStart);
        for (var j = 0; j < slots.Length; j++)
        {
            workspace.Gradient(slots[j]).CopyTo(values[starts[j]..]);
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
        var workspace = Workspace;
        values.Clear();
        Add(objectiveFactor, workspace.Hessian(_structure.Cost), _structure.CostPositions, values);
        var (slots, positions) = (_structure.RowSlots, _structure.RowPositions);
        for (var j = 0; j < slots.Length; j++)
        {
            Add(multipliers[j], workspace.Hessian(slots[j]), positions[j], values);
        }
    }

    /// <summary>Gives the workspace back to its plan.</summary>
    public void Dispose()
    {
        _workspace?.Dispose();
        _workspace = null;
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
