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
    private readonly double[] _lastX;
    private int _lastOrder = -1;

    public CompositionProgram(Workspace workspace, IReadOnlyList<IStep> steps, int cost, int[] constraints, ProgramShape shape, bool exactHessian)
    {
        _workspace = workspace;
        _steps = steps;
        _cost = cost;
        _constraints = constraints;
        Shape = shape;
        HasExactHessian = exactHessian;
        _lastX = new double[shape.VariableCount];
    }

    public ProgramShape Shape { get; }

    public bool HasExactHessian { get; }

    /// <summary>Evaluates every step at <paramref name="x"/>, leaving the dof values there.</summary>
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
    }

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
    {
        EvaluateAt(x, 1);
        var n = x.Length;
        for (var j = 0; j < _constraints.Length; j++)
        {
            _workspace.Gradient(_constraints[j]).CopyTo(values.Slice(j * n, n));
        }
    }

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
    }
}
