using ProcessOptimizer.Core.Formulas;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>A MathFunction: the formula's value goes to the dof of the first output.</summary>
internal sealed class MathStep : IStep
{
    private readonly BoundFormula _bound;
    private readonly int[] _dofs;
    private readonly int[] _currents;
    private readonly int[] _rowSumInputs;
    private readonly int _output;

    public MathStep(int id, MathFunctionSkill skill, BoundFormula bound, Func<string, int> index)
    {
        Id = id;
        Skill = skill;
        _bound = bound;
        _dofs = [.. bound.DofVariables.Select(index)];
        _currents = [.. bound.CurrentVariables.Select(index)];
        _rowSumInputs = skill.RowSum ? [.. skill.Inputs.Select(index)] : [];
        _output = index(skill.Outputs[0]);
        Outputs = [_output];
    }

    public int Id { get; }

    public Skill Skill { get; }

    public IReadOnlyList<int> DofInputs => _dofs;

    public IReadOnlyList<int> Outputs { get; }

    public StepBuffers CreateBuffers(int decisionCount, int order) =>
        new(_dofs.Length + _currents.Length, 1, order >= 2 ? _bound.Formula.HessianLength : 0);

    public void Prepare(VariableState state, StepBuffers buffers, ICollection<string> warnings)
    {
    }

    /// <summary>The seed's <c>dataframe_formula</c>: the output's history column is the row-wise sum of the inputs.</summary>
    public void FillRowSum(VariableState state)
    {
        if (_rowSumInputs.Length == 0)
        {
            return;
        }

        var column = new double[state.RowCount];
        foreach (var input in _rowSumInputs)
        {
            var history = state.History[input];
            for (var r = 0; r < column.Length; r++)
            {
                column[r] += history?[r] ?? double.NaN;
            }
        }

        state.History[_output] = column;
    }

    public void Evaluate(Workspace workspace, StepBuffers buffers, int order)
    {
        var state = workspace.State;
        var args = buffers.Arguments;
        for (var k = 0; k < _dofs.Length; k++)
        {
            args[k] = state.Dof[_dofs[k]];
        }

        for (var k = 0; k < _currents.Length; k++)
        {
            args[_dofs.Length + k] = state.Current[_currents[k]];
        }

        var formula = _bound.Formula;
        var withDerivatives = order > 0 && workspace.Active[_output];
        try
        {
            state.Dof[_output] = !withDerivatives ? formula.Evaluate(args)
                : order == 1 ? formula.Evaluate(args, buffers.Derivatives)
                : formula.Evaluate(args, buffers.Derivatives, buffers.SecondDerivatives);
        }
        catch (FormulaDomainException ex)
        {
            throw new CycleException(CycleFailure.Formula, $"skill '{Skill.Name}': formula '{formula.Text}': {ex.Message}", ex);
        }

        if (withDerivatives)
        {
            ChainGradient(workspace, buffers.Derivatives);
            if (order >= 2)
            {
                ChainHessian(workspace, buffers.Derivatives, buffers.SecondDerivatives);
            }
        }
    }

    private void ChainGradient(Workspace workspace, double[] df)
    {
        var output = workspace.Gradient(_output);
        output.Clear();
        for (var k = 0; k < _dofs.Length; k++)
        {
            if (df[k] != 0 && workspace.Active[_dofs[k]])
            {
                var input = workspace.Gradient(_dofs[k]);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] += df[k] * input[i];
                }
            }
        }
    }

    // d²f = Σ f_k H_k + Σ f_kl g_k g_lᵀ, over the packed lower triangle.
    private void ChainHessian(Workspace workspace, double[] df, double[] d2f)
    {
        var output = workspace.Hessian(_output);
        output.Clear();
        var n = workspace.DecisionCount;
        for (var k = 0; k < _dofs.Length; k++)
        {
            if (!workspace.Active[_dofs[k]])
            {
                continue;
            }

            if (df[k] != 0)
            {
                var input = workspace.Hessian(_dofs[k]);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] += df[k] * input[i];
                }
            }

            Span<double> gk = workspace.Gradient(_dofs[k]);
            for (var l = 0; l <= k; l++)
            {
                var c = d2f[CompiledFormula.HessianIndex(k, l)];
                if (c == 0 || !workspace.Active[_dofs[l]])
                {
                    continue;
                }

                Span<double> gl = workspace.Gradient(_dofs[l]);
                var p = 0;
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j <= i; j++, p++)
                    {
                        output[p] += k == l ? c * gk[i] * gk[j] : c * ((gk[i] * gl[j]) + (gl[i] * gk[j]));
                    }
                }
            }
        }
    }
}
