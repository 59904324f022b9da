using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Storage;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Checks the cross-references of a read strategy: names, formulas, sequences, cycles and the optimizer.</summary>
internal sealed class StrategyValidator(Strategy strategy, SourceMap map, ProblemList problems, Func<string, object, string?>? validateSolverOption, StrategyLimits limits)
{
    // Nodes the formulas checked so far compile to, against limits.MaxCompiledNodes.
    private long _compiledNodes;

    private readonly ExpandedSteps _steps = new(strategy.Skills, limits.MaxSteps, _ => true);
    private readonly ExpandedSteps _optimizations = new(strategy.Skills, limits.MaxOptimizations, s => s is OptimizationSkill);

    private static readonly HashSet<string> ComputeClasses = ["MathFunction", "InferenceModel", "CompositionSkill"];

    public void Validate()
    {
        foreach (var skill in strategy.Skills.Values)
        {
            CheckVariables(skill, "inputs", skill.Inputs);
            CheckVariables(skill, "outputs", skill.Outputs);
            switch (skill)
            {
                case MathFunctionSkill math:
                    CheckFormula(math);
                    break;
                case InferenceModelSkill model:
                    CheckModel(model);
                    break;
                case CompositionSkill composition:
                    CheckSequence(composition, "skill_sequence", composition.SkillSequence, $"skill '{composition.Name}'");
                    break;
                case ConstraintsSkill constraints:
                    foreach (var template in constraints.Template.Where(t => !strategy.Variables.ContainsKey(t.PredictedVariable)))
                    {
                        problems.Error(template.Location, $"skill '{constraints.Name}': unknown variable '{template.PredictedVariable}' in template");
                    }

                    break;
                case OptimizationSkill optimizer:
                    CheckOptimizer(optimizer);
                    break;
            }
        }

        var (steps, optimizations) = (0L, 0L);
        foreach (var task in strategy.Tasks)
        {
            foreach (var name in task.SkillSequence.Where(n => !strategy.Skills.ContainsKey(n)))
            {
                problems.Error(map.Item($"task:{task.Name}", "skill_sequence", name, task.Location), $"task '{task.Name}': unknown skill '{name}' in skill_sequence");
            }

            // Reported once, at the task that crosses the limit: the cycle runs every task.
            steps = CheckRuns(task, steps, _steps.Of(task.SkillSequence), limits.MaxSteps, "steps", nameof(limits.MaxSteps));
            optimizations = CheckRuns(task, optimizations, _optimizations.Of(task.SkillSequence), limits.MaxOptimizations, "optimizations", nameof(limits.MaxOptimizations));
        }

        CheckCycles();
    }

    private void CheckVariables(Skill skill, string key, IReadOnlyList<string> names)
    {
        foreach (var name in names.Where(n => !strategy.Variables.ContainsKey(n)))
        {
            problems.Error(map.Item(skill, key, name), $"skill '{skill.Name}': unknown variable '{name}' in {key}");
        }
    }

    private void CheckFormula(MathFunctionSkill skill)
    {
        if (skill.Outputs.Count == 0)
        {
            problems.Error(skill.Location, $"skill '{skill.Name}': a MathFunction needs at least one output");
        }

        var bound = FormulaBinder.Bind(skill, strategy, out var formulaProblems, out var notes, Math.Max(0, limits.MaxCompiledNodes - _compiledNodes));
        _compiledNodes += bound?.Formula.CompiledNodes ?? 0;
        foreach (var problem in formulaProblems)
        {
            problems.Error(skill.FormulaLocation, $"skill '{skill.Name}': {problem} in formula '{skill.Formula}'");
        }

        foreach (var note in notes)
        {
            problems.Warning(skill.FormulaLocation, $"skill '{skill.Name}': {note}");
        }
    }

    private void CheckModel(InferenceModelSkill skill)
    {
        if (skill.Outputs.Count == 0)
        {
            problems.Error(skill.Location, $"skill '{skill.Name}': an InferenceModel needs at least one output");
        }

        foreach (var (key, value) in new[] { ("model_path", skill.ModelPath), ("scaler_path", skill.ScalerPath), ("metadata_path", skill.MetadataPath) })
        {
            if (value is not null && StoreKeys.Problem(value) is { } problem)
            {
                problems.Error(map.Value(skill, key), $"skill '{skill.Name}': {key} '{value}' {problem}");
            }
        }

        // A model's inputs are one vector: without the metadata that names its training order, inputs listed in
        // another order load and solve without a word, each fed into another input's place.
        if (skill.MetadataPath is null && skill.Inputs.Count > 1)
        {
            problems.Warning(skill.Location, $"skill '{skill.Name}': no metadata_path, so nothing checks that the model was trained on its inputs in the order listed [{string.Join(", ", skill.Inputs)}]; inputs in another order would each be fed into another's place");
        }

        foreach (var name in skill.FeatureEngineering.LagOffsets.Keys.Where(k => !strategy.Variables.ContainsKey(k)))
        {
            problems.Error(skill.Location, $"skill '{skill.Name}': unknown variable '{name}' in feature_engineering.lag_offset");
        }
    }

    private void CheckSequence(Skill owner, string key, IReadOnlyList<string> sequence, string what)
    {
        foreach (var name in sequence.Where(n => !strategy.Skills.ContainsKey(n)))
        {
            problems.Error(map.Item(owner, key, name), $"{what}: unknown skill '{name}' in {key}");
        }
    }

    private void CheckOptimizer(OptimizationSkill optimizer)
    {
        var what = $"skill '{optimizer.Name}'";
        foreach (var input in optimizer.Inputs)
        {
            if (strategy.Variables.TryGetValue(input, out var variable) && !variable.IsOptimizable)
            {
                problems.Error(map.Item(optimizer, "inputs", input), $"{what}: input '{input}' is {variable.Type}, but only Operative and Calculated variables can be optimized");
            }
        }

        if (!strategy.Variables.ContainsKey(optimizer.CostFeatureName))
        {
            problems.Error(map.Value(optimizer, "cost_feature_name"), $"{what}: unknown variable '{optimizer.CostFeatureName}' in cost_feature_name");
        }

        if (!strategy.Skills.TryGetValue(optimizer.CostSkillName, out var costSkill))
        {
            problems.Error(map.Value(optimizer, "cost_skill_name"), $"{what}: unknown skill '{optimizer.CostSkillName}' in cost_skill_name");
        }
        else if (_steps.Of(costSkill.Name) > limits.MaxSteps)
        {
            problems.Error(map.Value(optimizer, "cost_skill_name"), $"{what}: cost skill '{costSkill.Name}' {TooManySteps}");
        }
        else
        {
            CheckCostSkill(optimizer, costSkill);
        }

        if (optimizer.Algorithm is { } algorithm && !algorithm.Equals("ipopt", StringComparison.OrdinalIgnoreCase))
        {
            problems.Warning(map.Value(optimizer, "algorithm"), $"{what}: algorithm '{algorithm}' is solved with IPOPT (exact derivatives); the setting is kept only for compatibility");
        }

        foreach (var (name, value) in optimizer.SolverOptions)
        {
            // The allowlist comes first: a refused option never reaches the solver, not even to be validated.
            if ((SolverOptionPolicy.Check(name, value) ?? validateSolverOption?.Invoke(name, value)) is { } problem)
            {
                problems.Error(map.Value(optimizer, $"solver_options.{name}"), $"{what}: solver_options: {problem}");
            }
        }
    }

    private long CheckRuns(StrategyTask task, long before, long added, int limit, string what, string setting)
    {
        var total = Math.Min(before + added, limit + 1L);
        if (before <= limit && total > limit)
        {
            problems.Error(task.Location, $"task '{task.Name}': the tasks up to this one run more than {limit} {what} once their compositions are expanded; the limit is {limit} ({setting})");
        }

        return total;
    }

    private string TooManySteps => $"runs more than {limits.MaxSteps} steps once its compositions are expanded; the limit is {limits.MaxSteps} ({nameof(limits.MaxSteps)})";

    private void CheckCostSkill(OptimizationSkill optimizer, Skill costSkill)
    {
        var what = $"skill '{optimizer.Name}'";
        var steps = Flatten(costSkill, []).ToList();
        foreach (var step in steps.Where(s => !ComputeClasses.Contains(s.ClassName)))
        {
            problems.Error(optimizer.Location, $"{what}: cost skill '{costSkill.Name}' contains '{step.Name}' ({step.ClassName}); only MathFunction, InferenceModel and CompositionSkill can be evaluated inside the optimizer");
        }

        var written = steps.Where(s => s is MathFunctionSkill or InferenceModelSkill).SelectMany(s => s.Outputs.Take(s is MathFunctionSkill ? 1 : int.MaxValue)).ToHashSet(StringComparer.Ordinal);
        if (strategy.Variables.ContainsKey(optimizer.CostFeatureName) && !written.Contains(optimizer.CostFeatureName))
        {
            problems.Error(map.Value(optimizer, "cost_feature_name"), $"{what}: cost feature '{optimizer.CostFeatureName}' is not computed by cost skill '{costSkill.Name}'");
        }

        foreach (var input in optimizer.Inputs.Where(written.Contains))
        {
            problems.Error(map.Item(optimizer, "inputs", input), $"{what}: decision variable '{input}' is overwritten by the cost skill '{costSkill.Name}'");
        }

        var constrained = strategy.SkillsOf<ConstraintsSkill>().SelectMany(c => c.Template);
        foreach (var template in constrained.Where(t => strategy.Variables.ContainsKey(t.PredictedVariable) && !written.Contains(t.PredictedVariable)))
        {
            problems.Warning(template.Location, $"constraint variable '{template.PredictedVariable}' is not computed by cost skill '{costSkill.Name}', so the constraint cannot change during the solve");
        }
    }

    private IEnumerable<Skill> Flatten(Skill skill, HashSet<string> path)
    {
        if (skill is not CompositionSkill composition)
        {
            yield return skill;
            yield break;
        }

        if (!path.Add(skill.Name))
        {
            yield break;
        }

        foreach (var name in composition.SkillSequence)
        {
            if (strategy.Skills.TryGetValue(name, out var child))
            {
                foreach (var step in Flatten(child, path))
                {
                    yield return step;
                }
            }
        }

        path.Remove(skill.Name);
    }

    private void CheckCycles()
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        var path = new List<string>();
        void Visit(CompositionSkill composition)
        {
            state[composition.Name] = false;
            path.Add(composition.Name);
            foreach (var name in composition.SkillSequence)
            {
                if (strategy.Skills.GetValueOrDefault(name) is not CompositionSkill child)
                {
                    continue;
                }

                if (state.TryGetValue(name, out var done))
                {
                    if (!done)
                    {
                        var cycle = string.Join(" -> ", path.SkipWhile(p => p != name).Append(name));
                        problems.Error(map.Item(composition, "skill_sequence", name), $"skill '{composition.Name}': composition cycle {cycle}");
                    }

                    continue;
                }

                Visit(child);
            }

            path.RemoveAt(path.Count - 1);
            state[composition.Name] = true;
        }

        foreach (var composition in strategy.SkillsOf<CompositionSkill>().Where(c => !state.ContainsKey(c.Name)))
        {
            Visit(composition);
        }
    }
}
