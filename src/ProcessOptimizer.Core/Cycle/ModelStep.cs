using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>An InferenceModel: forms the model inputs as the seed does, and adds each output to its variable's current value.</summary>
internal sealed class ModelStep : IStep
{
    private readonly InferenceModelSkill _skill;
    private readonly IModel _model;
    private readonly int[] _inputs;
    private readonly InputKind[] _kinds;
    private readonly int[] _outputs;

    public ModelStep(int id, InferenceModelSkill skill, IModel model, Strategy strategy, Func<string, int> index)
    {
        if (model.InputCount != skill.Inputs.Count || model.OutputCount != skill.Outputs.Count)
        {
            throw new ModelException($"skill '{skill.Name}': model '{skill.ModelPath}' has {model.InputCount} inputs and {model.OutputCount} outputs, but the skill declares {skill.Inputs.Count} inputs and {skill.Outputs.Count} outputs");
        }

        Id = id;
        _skill = skill;
        _model = model;
        _inputs = [.. skill.Inputs.Select(index)];
        _outputs = [.. skill.Outputs.Select(index)];
        _kinds = [.. skill.Inputs.Select(name => KindOf(strategy.Variables[name], skill.FeatureEngineering.For(name)))];
        DofInputs = [.. _inputs.Where((_, i) => _kinds[i] != InputKind.Smoothed)];
    }

    public int Id { get; }

    public Skill Skill => _skill;

    public IModel Model => _model;

    public IReadOnlyList<int> DofInputs { get; }

    public IReadOnlyList<int> Outputs => _outputs;

    public StepBuffers CreateBuffers(int decisionCount, int order) =>
        new(_inputs.Length, _outputs.Length, 0, order >= 2 ? _outputs.Length * _inputs.Length * _inputs.Length : 0);

    public void Prepare(VariableState state, StepBuffers buffers, ICollection<string> warnings)
    {
        var engineering = _skill.FeatureEngineering;
        for (var i = 0; i < _inputs.Length; i++)
        {
            buffers.Fixed[i] = double.NaN;
            if (_kinds[i] != InputKind.Smoothed)
            {
                continue;
            }

            var name = _skill.Inputs[i];
            var window = engineering.For(name) ?? new LagOffset(0, 1, Variation.Absolute);
            var column = state.History[_inputs[i]] ?? [state.Current[_inputs[i]]];
            buffers.Fixed[i] = Smoothing.Apply(name, column, window, engineering.Smoothing, engineering.Alpha, out var note);
            if (note is not null)
            {
                warnings.Add($"skill '{_skill.Name}': {note}");
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(Workspace workspace, StepBuffers buffers, int order)
    {
        var state = workspace.State;
        var features = buffers.Arguments;
        for (var i = 0; i < _inputs.Length; i++)
        {
            var v = _inputs[i];
            features[i] = _kinds[i] switch
            {
                InputKind.Increment => state.Dof[v] - state.Current[v],
                InputKind.Dof => state.Dof[v],
                _ => buffers.Fixed[i],
            };
        }

        var withDerivatives = order > 0 && _outputs.Any(o => workspace.Active[o]);
        var jacobian = withDerivatives ? buffers.Derivatives.AsSpan(0, _inputs.Length * _outputs.Length) : [];
        try
        {
            if (withDerivatives && order >= 2)
            {
                _model.PredictWithCurvature(features, buffers.Outputs, jacobian, buffers.Curvature);
            }
            else
            {
                _model.Predict(features, buffers.Outputs, jacobian);
            }
        }
        catch (ModelException ex)
        {
            throw new CycleException(CycleFailure.Model, ex.Message, ex);
        }

        for (var o = 0; o < _outputs.Length; o++)
        {
            var value = buffers.Outputs[o];
            if (!double.IsFinite(value))
            {
                throw new CycleException(CycleFailure.Model, $"skill '{_skill.Name}': model '{_skill.ModelPath}' returned {value} for '{_skill.Outputs[o]}'");
            }

            state.Dof[_outputs[o]] = state.Current[_outputs[o]] + value;
            if (withDerivatives)
            {
                ChainGradient(workspace, jacobian.Slice(o * _inputs.Length, _inputs.Length), _outputs[o]);
                if (order >= 2)
                {
                    ChainHessian(workspace, jacobian.Slice(o * _inputs.Length, _inputs.Length), buffers.Curvature.AsSpan(o * _inputs.Length * _inputs.Length), _outputs[o]);
                }
            }
        }
    }

    private void ChainGradient(Workspace workspace, ReadOnlySpan<double> row, int output)
    {
        var target = workspace.Gradient(output);
        target.Clear();
        for (var i = 0; i < _inputs.Length; i++)
        {
            if (_kinds[i] == InputKind.Smoothed || row[i] == 0 || !workspace.Active[_inputs[i]])
            {
                continue;
            }

            var input = workspace.Gradient(_inputs[i]);
            for (var j = 0; j < target.Length; j++)
            {
                target[j] += row[i] * input[j];
            }
        }
    }

    // d²y = Σ J_i H_i + Σ C_ik g_i g_kᵀ over the inputs that move with the decisions.
    private void ChainHessian(Workspace workspace, ReadOnlySpan<double> row, ReadOnlySpan<double> curvature, int output)
    {
        var target = workspace.Hessian(output);
        target.Clear();
        var n = workspace.DecisionCount;
        var count = _inputs.Length;
        for (var i = 0; i < count; i++)
        {
            if (_kinds[i] == InputKind.Smoothed || !workspace.Active[_inputs[i]])
            {
                continue;
            }

            if (row[i] != 0)
            {
                var input = workspace.Hessian(_inputs[i]);
                for (var p = 0; p < target.Length; p++)
                {
                    target[p] += row[i] * input[p];
                }
            }

            Span<double> gi = workspace.Gradient(_inputs[i]);
            for (var k = 0; k < count; k++)
            {
                var c = curvature[(i * count) + k];
                if (c == 0 || _kinds[k] == InputKind.Smoothed || !workspace.Active[_inputs[k]])
                {
                    continue;
                }

                Span<double> gk = workspace.Gradient(_inputs[k]);
                var p = 0;
                for (var a = 0; a < n; a++)
                {
                    for (var b = 0; b <= a; b++, p++)
                    {
                        target[p] += c * gi[a] * gk[b];
                    }
                }
            }
        }
    }

    private static InputKind KindOf(Variable variable, LagOffset? entry) =>
        variable.Type == VariableType.Delta || entry?.Variation == Variation.Increment ? InputKind.Increment
        : variable.Type == VariableType.Informative ? InputKind.Smoothed
        : InputKind.Dof;
}
