using System.Globalization;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>The state of one cycle while its tasks run; with <c>fixedPoint</c>, optimizers evaluate that point instead of solving.</summary>
// A struct: one is made per cycle, and nothing keeps it past the result.
internal struct CycleRun(
    CompiledStrategy strategy,
    VariableState state,
    CycleScratch scratch,
    INonlinearSolver solver,
    SolverSettings settings,
    CancellationToken cancellationToken,
    DateTimeOffset? timestamp,
    IReadOnlyDictionary<int, double>? fixedPoint = null)
{
    private readonly CycleScratch _scratch = scratch;
    private readonly CycleWarnings _warnings = scratch.Warnings;
    private Workspace? _plain;

    public CycleResult Execute()
    {
        try
        {
            RunTasks();
        }
        finally
        {
            _plain?.Dispose();
        }

        WarnAboutUnsetCalculatedInputs();
        var result = ResultBuilder.Build(strategy, state, _scratch.Optimizations, _scratch.Computed, _warnings, timestamp, WarmSolves());
        // The result holds copies, not the scratch: it goes back for the next cycle.
        strategy.Scratch.Return(_scratch);
        return result;
    }

    // An array of their exact size: the logs' lists are their optimizations' work, given back with the scratch.
    private readonly WarmSolve[] WarmSolves()
    {
        var count = 0;
        for (var o = 0; o < _scratch.Optimizations.Count; o++)
        {
            count += _scratch.Optimizations[o].WarmSolves.Count;
        }

        var solves = count == 0 ? [] : new WarmSolve[count];
        var i = 0;
        for (var o = 0; o < _scratch.Optimizations.Count; o++)
        {
            var logged = _scratch.Optimizations[o].WarmSolves;
            for (var s = 0; s < logged.Count; s++)
            {
                solves[i++] = logged[s];
            }
        }

        return solves;
    }

    // By index, here and in Run: the lists are interfaces, and a foreach over one boxed an enumerator per list per cycle.
    private void RunTasks()
    {
        var tasks = strategy.Definition.Tasks;
        for (var t = 0; t < tasks.Count; t++)
        {
            var task = tasks[t];
            for (var s = 0; s < task.SkillSequence.Count; s++)
            {
                Run(task.SkillSequence[s], task.Name == StrategyTask.PreCalculateName);
            }

            if (task.Name == StrategyTask.PreCalculateName)
            {
                for (var v = 0; v < strategy.Variables.Count; v++)
                {
                    if (strategy.Variables[v].Type == VariableType.Calculated)
                    {
                        state.Set(v, state.Dof[v]);
                    }
                }
            }
        }
    }

    private void Run(string skillName, bool preCalculating)
    {
        var skill = strategy.Definition.Skills[skillName];
        switch (skill)
        {
            case CompositionSkill composition:
                for (var c = 0; c < composition.SkillSequence.Count; c++)
                {
                    Run(composition.SkillSequence[c], preCalculating);
                }

                break;
            case MathFunctionSkill or InferenceModelSkill:
                var step = strategy.Step(skillName);
                var workspace = Plain();
                if (preCalculating && step is MathStep math)
                {
                    math.FillRowSum(state);
                }

                Prepare(workspace, step);
                step.Evaluate(workspace, workspace.Buffers[step.Id], order: 0);
                for (var o = 0; o < step.Outputs.Count; o++)
                {
                    _scratch.Computed[step.Outputs[o]] = true;
                }

                break;
            case BoundsSkill bounds:
                for (var i = 0; i < bounds.Inputs.Count; i++)
                {
                    var input = strategy.Index(bounds.Inputs[i]);
                    var variable = strategy.Variables[input];
                    _scratch.Bounds[input] = MoveWindow(variable, state.Current[input]);
                    if (HardLimitsOutOfReach(variable, state.Current[input]))
                    {
                        _warnings.Add(HardLimitsWindow(bounds.Name, variable, state.Current[input]));
                    }
                }

                break;
            case ConstraintsSkill constraints:
                _scratch.Constraints.AddRange(constraints.Template);
                break;
            case OptimizationSkill optimizer:
                var plan = strategy.Optimizer(optimizer);
                var work = _scratch.Rent(plan);
                _scratch.Optimizations.Add(new Optimization(strategy, state, solver, settings, _warnings, cancellationToken)
                    .Run(optimizer, plan, work, _scratch.Bounds, _scratch.Constraints, fixedPoint));
                break;
        }
    }

    /// <summary>
    /// The seed's Bounds: [max(min_hard, current − threshold), min(max_hard, current + threshold)],
    /// falling back to the hard limits when that range is empty.
    /// </summary>
    internal static (double Lower, double Upper) MoveWindow(Variable variable, double current)
    {
        var lower = Math.Max(variable.MinHardLimit, current - variable.Threshold);
        var upper = Math.Min(variable.MaxHardLimit, current + variable.Threshold);
        return lower <= upper ? (lower, upper) : (variable.MinHardLimit, variable.MaxHardLimit);
    }

    /// <summary>Whether <paramref name="current"/> lies more than the threshold outside the hard limits, so that <see cref="MoveWindow"/> falls back to them.</summary>
    internal static bool HardLimitsOutOfReach(Variable variable, double current) =>
        Math.Max(variable.MinHardLimit, current - variable.Threshold) > Math.Min(variable.MaxHardLimit, current + variable.Threshold);

    // The seed's fallback lets a value measured beyond its hard limits jump anywhere within them in one cycle, past
    // the threshold that is otherwise the largest move: the answer says so, since nothing else in it would.
    private static string HardLimitsWindow(string skill, Variable variable, double current)
    {
        static string N(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
        return $"skill '{skill}': '{variable.Name}' = {N(current)} is more than its threshold {N(variable.Threshold)} outside its hard limits "
            + $"{N(variable.MinHardLimit)}–{N(variable.MaxHardLimit)}, so its move window is the hard limits and it may move by more than its threshold in one cycle";
    }

    private Workspace Plain()
    {
        if (_plain is null)
        {
            _plain = strategy.Plans.Get(strategy.PlainSteps, [], [], order: 0).Rent(state);
        }

        return _plain;
    }

    // Smoothed model inputs are fixed for the cycle, but only after PreCalculateVariables has filled the history.
    private void Prepare(Workspace workspace, IStep step)
    {
        if (!_scratch.Prepared[step.Id])
        {
            step.Prepare(state, workspace.Buffers[step.Id], _warnings);
            _scratch.Prepared[step.Id] = true;
        }
    }

    private void WarnAboutUnsetCalculatedInputs()
    {
        for (var v = 0; v < strategy.Variables.Count; v++)
        {
            var variable = strategy.Variables[v];
            if (variable.Type == VariableType.Calculated && !state.InData[v] && !_scratch.Computed[v] && IsOptimized(variable.Name))
            {
                _warnings.Add($"Calculated variable '{variable.Name}' is neither in the data nor computed by {StrategyTask.PreCalculateName}; it started at 0");
            }
        }
    }

    // Only asked of a variable that is warned about, so its closure is not made for every variable every cycle.
    private bool IsOptimized(string name) => strategy.Definition.SkillsOf<OptimizationSkill>().Any(o => o.Inputs.Contains(name));
}
