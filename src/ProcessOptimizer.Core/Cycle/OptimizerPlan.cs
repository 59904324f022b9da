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

    /// <summary>One warning for each formula term that moves in steps with the decisions (floor, //, a comparison as a number).</summary>
    public IReadOnlyList<string> StepWarnings { get; init; } = [];

    public static OptimizerPlan Of(CompiledStrategy strategy, OptimizationSkill optimizer)
    {
        IStep[] steps = [.. strategy.Flatten(optimizer.CostSkillName)];
        ModelStep[] models = [.. steps.OfType<ModelStep>().DistinctBy(m => m.Id)];
        int[] decisions = [.. optimizer.Inputs.Select(strategy.Index)];
        return new OptimizerPlan(
            decisions,
            steps,
            models,
            [.. steps.SelectMany(s => s.Outputs).Distinct()],
            models.ToDictionary(m => m.Skill.Name, m => m.Model.DerivativeMode)) { StepWarnings = StepWarningsOf(optimizer, steps, decisions) };
    }

    private static List<string> StepWarningsOf(OptimizationSkill optimizer, IStep[] steps, int[] decisions)
    {
        // What the decisions move: themselves, then every output of a step with a moved input, in the steps' order.
        var moved = decisions.ToHashSet();
        var warnings = new List<string>();
        foreach (var step in steps.DistinctBy(s => s.Id))
        {
            if (step is MathStep math)
            {
                warnings.AddRange(math.StepTerms(moved.Contains).Select(t =>
                    $"skill '{optimizer.Name}': {t.Text} in skill '{math.Skill.Name}' moves in steps with {string.Join(", ", t.Symbols.Select(v => $"'{v}'"))}, "
                    + $"which the decisions move: its slope is 0 wherever it is defined, so the solver cannot see its steps, and the recommended point is at best a local optimum over them"));
            }

            if (step.DofInputs.Any(moved.Contains))
            {
                moved.UnionWith(step.Outputs);
            }
        }

        return warnings;
    }
}
