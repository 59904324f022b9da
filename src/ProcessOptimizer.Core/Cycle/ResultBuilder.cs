using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>Turns the final state of a cycle into its result, holding every value unless all optimizations succeeded.</summary>
internal static class ResultBuilder
{
    public static CycleResult Build(CompiledStrategy strategy, VariableState state, IReadOnlyList<OptimizationOutcome> optimizations, IReadOnlyCollection<int> computed, List<string> warnings)
    {
        var status = StatusMap.Cycle(optimizations.Select(o => o.IsSuccess ? SolveStatus.Succeeded : o.Status));
        // A point is published only when every optimization has one that meets the constraints.
        var success = optimizations.All(o => o.Publishes);
        var decisions = optimizations.SelectMany(o => o.Decisions).ToHashSet();
        var constrained = strategy.Definition.SkillsOf<ConstraintsSkill>().SelectMany(c => c.Template).Select(t => t.PredictedVariable).ToHashSet(StringComparer.Ordinal);
        var preCalculationInputs = strategy.Definition.Tasks.Where(t => t.Name == StrategyTask.PreCalculateName)
            .SelectMany(t => t.SkillSequence).SelectMany(name => strategy.Definition.Skills[name].Inputs).ToHashSet(StringComparer.Ordinal);
        var atCurrent = new Dictionary<int, double>();
        foreach (var outcome in optimizations)
        {
            foreach (var (variable, value) in outcome.AtCurrent)
            {
                atCurrent[variable] = value;
            }
        }

        var variables = new List<VariableResult>(strategy.Variables.Count);
        for (var v = 0; v < strategy.Variables.Count; v++)
        {
            var variable = strategy.Variables[v];
            double current, recommended;
            if (atCurrent.TryGetValue(v, out var before))
            {
                (current, recommended) = (before, success ? state.Dof[v] : before);
            }
            else if (decisions.Contains(v))
            {
                (current, recommended) = (state.Current[v], success ? state.Recommended[v] : state.Current[v]);
            }
            else
            {
                current = recommended = computed.Contains(v) ? state.Dof[v] : state.Current[v];
            }

            variables.Add(new VariableResult(variable.Name, variable.Type, variable.Units, Category(variable, decisions.Contains(v), preCalculationInputs, constrained), current, recommended));
        }

        var last = optimizations.Count > 0 ? optimizations[^1] : null;
        return new CycleResult
        {
            Status = status,
            Variables = variables,
            CostFeature = last is null ? null : strategy.Variables[last.CostVariable].Name,
            CostAtCurrent = last?.CostAtCurrent,
            CostAtRecommended = last?.CostAtRecommended,
            Solver = optimizations.Select(o => o.Report).ToList(),
            MostViolated = optimizations.Select(o => o.MostViolated).LastOrDefault(v => v is not null),
            Warnings = warnings.Distinct().ToList(),
        };
    }

    // The original service's rule: after pre-calculation, Calculated variables and the Operative ones that no
    // pre-calculation reads are optimizable, whether or not an optimizer takes them; an optimizer's input always is.
    private static string Category(Variable variable, bool isDecision, HashSet<string> preCalculationInputs, HashSet<string> constrained) =>
        isDecision || variable.Type == VariableType.Calculated || (variable.Type == VariableType.Operative && !preCalculationInputs.Contains(variable.Name)) ? "optimizable"
        : variable.Type == VariableType.Predicted ? "predicted"
        : variable.Type == VariableType.Constraint || constrained.Contains(variable.Name) ? "constraint"
        : variable.Type == VariableType.Operative ? "operative"
        : variable.Type == VariableType.Informative ? "informative"
        : "calculated";
}
