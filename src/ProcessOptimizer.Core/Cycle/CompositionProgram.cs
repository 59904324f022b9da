using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// The optimizer's problem: minimise the cost feature computed by the cost skill, with one constraint row
/// per Constraints entry. Gradients and the constraint Jacobian come from forward-mode chain rule through
/// the compiled steps; the Hessian is exact when every step is a formula.
/// </summary>
internal sealed class CompositionProgram : INonlinearProgram
{
    private readonly Workspace _workspace;
    private readonly IReadOnlyList<IStep> _steps;
    private readonly int _cost;
    private readonly int[] _constraints;
    private readonly IReadOnlyList<ConditionRow> _conditions;
    private readonly double[] _conditionValues;
    private readonly double[] _conditionGradients;
    private readonly double[] _conditionHessians;
    private readonly double[] _lastX;
    private int _lastOrder = -1;

    /// <param name="conditions">Extra rows <c>c(x) ≥ 0</c> after the constraint rows (branch conditions), each with bounds [0, ∞).</param>
    public CompositionProgram(Workspace workspace, IReadOnlyList<IStep> steps, int cost, int[] constraints, ProgramShape shape, bool exactHessian, IReadOnlyList<ConditionRow>? conditions = null)
    {
        _workspace = workspace;
        _steps = steps;
        _cost = cost;
        _constraints = constraints;
        _conditions = conditions ?? [];
        Shape = shape;
        HasExactHessian = exactHessian;
        _lastX = new double[shape.VariableCount];
        _conditionValues = new double[_conditions.Count];
        _conditionGradients = new double[_conditions.Count * workspace.DecisionCount];
        _conditionHessians = new double[exactHessian ? _conditions.Count * workspace.HessianLength : 0];
    }

    public ProgramShape Shape { get; }

    public bool HasExactHessian { get; }

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

        foreach (var step in _steps)
        {
            step.Evaluate(_workspace, _workspace.Buffers[step.Id], order);
        }

        int n = _workspace.DecisionCount, h = _workspace.HessianLength;
        for (var c = 0; c < _conditions.Count; c++)
        {
            _conditionValues[c] = _conditions[c].Evaluate(
                _workspace, order, _conditionGradients.AsSpan(c * n, n), order >= 2 ? _conditionHessians.AsSpan(c * h, h) : []);
        }

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
        _workspace.Gradient(_cost).CopyTo(gradient);
    }

    public void Constraints(ReadOnlySpan<double> x, Span<double> values)
    {
        EvaluateAt(x, 1);
        for (var j = 0; j < _constraints.Length; j++)
        {
            values[j] = _workspace.State.Dof[_constraints[j]];
        }

        _conditionValues.CopyTo(values[_constraints.Length..]);
    }

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
    {
        EvaluateAt(x, 1);
        var n = x.Length;
        for (var j = 0; j < _constraints.Length; j++)
        {
            _workspace.Gradient(_constraints[j]).CopyTo(values.Slice(j * n, n));
        }

        _conditionGradients.CopyTo(values[(_constraints.Length * n)..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
    {
        if (!HasExactHessian)
        {
            throw new InvalidOperationException("this program has no exact Hessian");
        }

        EvaluateAt(x, 2);
        var cost = _workspace.Hessian(_cost);
        for (var p = 0; p < values.Length; p++)
        {
            values[p] = objectiveFactor * cost[p];
        }

        for (var j = 0; j < _constraints.Length; j++)
        {
            if (multipliers[j] == 0 || !_workspace.Active[_constraints[j]])
            {
                continue;
            }

            var row = _workspace.Hessian(_constraints[j]);
            for (var p = 0; p < values.Length; p++)
            {
                values[p] += multipliers[j] * row[p];
            }
        }

        for (var c = 0; c < _conditions.Count; c++)
        {
            var multiplier = multipliers[_constraints.Length + c];
            var row = _conditionHessians.AsSpan(c * values.Length, values.Length);
            for (var p = 0; p < values.Length; p++)
            {
                values[p] += multiplier * row[p];
            }
        }
    }
}
