using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>Compiles a validated strategy and its loaded models into a <see cref="CompiledStrategy"/>.</summary>
public static class StrategyCompiler
{
    /// <param name="models">The loaded model of every InferenceModel skill, by skill name.</param>
    /// <exception cref="CycleException">A model is missing or does not match its skill (<see cref="CycleFailure.Configuration"/>).</exception>
    public static CompiledStrategy Compile(Strategy strategy, IReadOnlyDictionary<string, IModel> models)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(models);
        var names = strategy.Variables.Keys.ToList();
        var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        int Index(string name) => index[name];

        var steps = new Dictionary<string, IStep>(StringComparer.Ordinal);
        foreach (var skill in strategy.Skills.Values)
        {
            switch (skill)
            {
                case MathFunctionSkill math:
                    var bound = FormulaBinder.Bind(math, strategy, out var problems)
                        ?? throw new CycleException(CycleFailure.Configuration, $"skill '{math.Name}': {string.Join("; ", problems)}");
                    steps[skill.Name] = new MathStep(steps.Count, math, bound, Index);
                    break;
                case InferenceModelSkill inference:
                    var model = models.GetValueOrDefault(inference.Name)
                        ?? throw new CycleException(CycleFailure.Configuration, $"skill '{inference.Name}': model '{inference.ModelPath}' is not loaded (run with a model store)");
                    try
                    {
                        steps[skill.Name] = new ModelStep(steps.Count, inference, model, strategy, Index);
                    }
                    catch (ModelException ex)
                    {
                        throw new CycleException(CycleFailure.Configuration, ex.Message, ex);
                    }

                    break;
            }
        }

        return new CompiledStrategy(strategy, steps, models);
    }
}
