using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// What an optimizer's cycles share, worked out once per compiled strategy: its decisions, its flattened steps, the
/// models among them and the variables those steps compute. Immutable, so concurrent cycles read it freely.
/// </summary>
/// <param name="Decisions">The optimizer's inputs as variable indices; results keep this array, and nothing writes to it.</param>
/// <param name="Outputs">Each variable the steps compute, once, in the order the steps first compute it.</param>
/// <param name="Derivatives">How each model's derivatives are taken, by skill name, for the solver report.</param>
internal sealed record OptimizerPlan(
    int[] Decisions,
    IReadOnlyList<IStep> Steps,
    ModelStep[] Models,
    int[] Outputs,
    IReadOnlyDictionary<string, string> Derivatives)
{
    /// <summary>The arrays of this optimizer's runs, rented by one run at a time.</summary>
    public Microsoft.Extensions.ObjectPool.ObjectPool<OptimizationWork> Work { get; } = OptimizationWork.Pool(Decisions.Length, Outputs.Length);

    public static OptimizerPlan Of(CompiledStrategy strategy, OptimizationSkill optimizer)
    {
        IStep[] steps = [.. strategy.Flatten(optimizer.CostSkillName)];
        ModelStep[] models = [.. steps.OfType<ModelStep>().DistinctBy(m => m.Id)];
        return new OptimizerPlan(
            [.. optimizer.Inputs.Select(strategy.Index)],
            steps,
            models,
            [.. steps.SelectMany(s => s.Outputs).Distinct()],
            models.ToDictionary(m => m.Skill.Name, m => m.Model.DerivativeMode));
    }
}
