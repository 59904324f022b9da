using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>Turns the final state of a cycle into its result, holding every value unless all optimizations succeeded.</summary>
internal static class ResultBuilder
{
    /// <remarks>
    /// Allocates only what the result keeps (its lists and their items): what it looks up comes from the strategy
    /// (<see cref="CompiledStrategy.ResultDescriptions"/> and the layout of the variables' values kept with it), and <paramref name="warnings"/>, the cycle's
    /// scratch, is copied out once its repeats are taken out (<see cref="CycleWarnings.ToResult"/>). The result is made once, with the data's time and the next cycle's
    /// warm start (<paramref name="warmSolves"/>: the solves with the cost).
    /// </remarks>
    public static CycleResult Build(
        CompiledStrategy strategy, VariableState state, IReadOnlyList<OptimizationOutcome> optimizations, bool[] computed, CycleWarnings warnings, DateTimeOffset? timestamp,
        IReadOnlyList<WarmSolve> warmSolves)
    {
        var worst = CycleStatus.Success;
        var success = true;
        var solver = new SolverReport[optimizations.Count];
        ConstraintViolation? mostViolated = null;
        for (var o = 0; o < optimizations.Count; o++)
        {
            var outcome = optimizations[o];
            worst = StatusMap.Worse(worst, StatusMap.Cycle(outcome.IsSuccess ? SolveStatus.Succeeded : outcome.Status));
            // A point is published only when every optimization has one that meets the constraints.
            success &= outcome.Publishes;
            solver[o] = outcome.Report;
            mostViolated = outcome.MostViolated ?? mostViolated;
        }

        // Current values first, then the recommended ones that may differ, where the strategy's layout puts them.
        var layout = VariableLayout.For(strategy, optimizations);
        var values = new double[layout.Length];
        for (var v = 0; v < strategy.Variables.Count; v++)
        {
            double current, recommended;
            if (AtCurrent(optimizations, v) is { } before)
            {
                (current, recommended) = (before, success ? state.Dof[v] : before);
            }
            else if (IsDecision(optimizations, v))
            {
                (current, recommended) = (state.Current[v], success ? state.Recommended[v] : state.Current[v]);
            }
            else
            {
                current = recommended = computed[v] ? state.Dof[v] : state.Current[v];
            }

            values[v] = current;
            if (layout.Recommended[v] is >= 0 and var slot)
            {
                values[slot] = recommended;
            }
        }

        OptimizationOutcome? last = optimizations.Count > 0 ? optimizations[^1] : null;
        return new CycleResult
        {
            Status = worst,
            DataTimestamp = timestamp,
            Variables = new ResultVariables(layout, values),
            CostFeature = last is { } l ? strategy.Variables[l.CostVariable].Name : null,
            CostAtCurrent = last?.CostAtCurrent,
            CostAtRecommended = last?.CostAtRecommended,
            Solver = solver,
            MostViolated = mostViolated,
            Warnings = warnings.ToResult(),
            Next = new CycleWarmStart(warmSolves, worst == CycleStatus.Infeasible),
        };
    }

    /// <summary>
    /// Per variable, its description in a result when no optimizer takes it (its category fixed by the strategy) and
    /// when one does (optimizable).
    /// </summary>
    public static (VariableDescription Other, VariableDescription Decision)[] Descriptions(Strategy definition, IReadOnlyList<Variable> variables)
    {
        var constrained = definition.SkillsOf<ConstraintsSkill>().SelectMany(c => c.Template).Select(t => t.PredictedVariable).ToHashSet(StringComparer.Ordinal);
        var preCalculationInputs = definition.Tasks.Where(t => t.Name == StrategyTask.PreCalculateName)
            .SelectMany(t => t.SkillSequence).SelectMany(name => definition.Skills[name].Inputs).ToHashSet(StringComparer.Ordinal);
        return [.. variables.Select(v => (
            new VariableDescription(v.Name, v.Type, v.Units, Category(v, false, preCalculationInputs, constrained)),
            new VariableDescription(v.Name, v.Type, v.Units, Optimizable)))];
    }

    private const string Optimizable = "optimizable";

    public static bool IsDecision(IReadOnlyList<OptimizationOutcome> optimizations, int variable)
    {
        for (var o = 0; o < optimizations.Count; o++)
        {
            if (Array.IndexOf(optimizations[o].Decisions, variable) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsOutput(IReadOnlyList<OptimizationOutcome> optimizations, int variable)
    {
        for (var o = 0; o < optimizations.Count; o++)
        {
            if (Array.IndexOf(optimizations[o].Outputs, variable) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    // The last optimization that computed the variable gives its value at the operating point.
    private static double? AtCurrent(IReadOnlyList<OptimizationOutcome> optimizations, int variable)
    {
        for (var o = optimizations.Count - 1; o >= 0; o--)
        {
            if (Array.IndexOf(optimizations[o].Outputs, variable) is >= 0 and var i)
            {
                return optimizations[o].AtCurrent[i];
            }
        }

        return null;
    }

    // The original service's rule: after pre-calculation, Calculated variables and the Operative ones that no
    // pre-calculation reads are optimizable, whether or not an optimizer takes them; an optimizer's input always is.
    private static string Category(Variable variable, bool isDecision, HashSet<string> preCalculationInputs, HashSet<string> constrained) =>
        isDecision || variable.Type == VariableType.Calculated || (variable.Type == VariableType.Operative && !preCalculationInputs.Contains(variable.Name)) ? Optimizable
        : variable.Type == VariableType.Predicted ? "predicted"
        : variable.Type == VariableType.Constraint || constrained.Contains(variable.Name) ? "constraint"
        : variable.Type == VariableType.Operative ? "operative"
        : variable.Type == VariableType.Informative ? "informative"
        : "calculated";
}
