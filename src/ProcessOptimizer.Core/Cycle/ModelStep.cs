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

    public StepBuffers CreateBuffers(int decisionCount, int order) => new(_inputs.Length, _outputs.Length, 0);

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
            _model.Predict(features, buffers.Outputs, jacobian);
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

    private static InputKind KindOf(Variable variable, LagOffset? entry) =>
        variable.Type == VariableType.Delta || entry?.Variation == Variation.Increment ? InputKind.Increment
        : variable.Type == VariableType.Informative ? InputKind.Smoothed
        : InputKind.Dof;
}
