using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Formulas;
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
        Derivatives = Local();
    }

    public int Id { get; }

    public Skill Skill => _skill;

    public IModel Model => _model;

    public IReadOnlyList<int> DofInputs { get; }

    public IReadOnlyList<int> Outputs => _outputs;

    public LocalDerivatives Derivatives { get; }

    public StepBuffers CreateBuffers(int order) =>
        new(_inputs.Length, _outputs.Length, order >= 2 ? _outputs.Length * _inputs.Length * _inputs.Length : 0);

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

        var jacobian = order > 0 ? buffers.Derivatives.AsSpan(0, _inputs.Length * _outputs.Length) : [];
        try
        {
            if (order >= 2)
            {
                _model.PredictWithCurvature(features, buffers.Outputs, jacobian, buffers.SecondDerivatives);
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
        }
    }

    /// <summary>
    /// Bounds the outputs over ranges of the inputs (<paramref name="range"/> by variable), as <see cref="Evaluate"/>
    /// forms them: the smoothed inputs are the values prepared in <paramref name="buffers"/>, fixed for the cycle.
    /// </summary>
    public void Bound(Func<int, Interval> range, VariableState state, StepBuffers buffers, Span<Interval> outputs)
    {
        Span<Interval> features = stackalloc Interval[_inputs.Length];
        for (var i = 0; i < _inputs.Length; i++)
        {
            var v = _inputs[i];
            features[i] = _kinds[i] switch
            {
                InputKind.Increment => range(v) - Interval.Point(state.Current[v]),
                InputKind.Dof => range(v),
                _ => Interval.Point(buffers.Fixed[i]),
            };
        }

        _model.Bound(features, outputs);
        for (var o = 0; o < _outputs.Length; o++)
        {
            outputs[o] = Interval.Point(state.Current[_outputs[o]]) + outputs[o];
        }
    }

    // Every output can move with every input but the smoothed ones (fixed for the cycle): the Jacobian is
    // outputs × inputs and the curvature outputs × inputs × inputs, both dense and row-major.
    private LocalDerivatives Local()
    {
        var moving = Enumerable.Range(0, _inputs.Length).Where(i => _kinds[i] != InputKind.Smoothed).ToList();
        var count = _inputs.Length;
        var first = new List<ChainTerm>();
        var second = new List<ChainTerm>();
        for (var o = 0; o < _outputs.Length; o++)
        {
            foreach (var i in moving)
            {
                first.Add(new ChainTerm(o, _inputs[i], -1, (o * count) + i));
                second.AddRange(moving.Select(k => new ChainTerm(o, _inputs[i], _inputs[k], (((o * count) + i) * count) + k)));
            }
        }

        return new LocalDerivatives([.. first], [.. second]);
    }

    private static InputKind KindOf(Variable variable, LagOffset? entry) =>
        variable.Type == VariableType.Delta || entry?.Variation == Variation.Increment ? InputKind.Increment
        : variable.Type == VariableType.Informative ? InputKind.Smoothed
        : InputKind.Dof;
}
