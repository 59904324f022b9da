using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A strategy ready to run: variables indexed, formulas compiled, models attached. Shared by concurrent cycles;
/// each cycle keeps its own <see cref="VariableState"/>, and each solve rents its own workspace from the plans kept here.
/// </summary>
public sealed class CompiledStrategy
{
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<string, IStep> _steps;
    private readonly bool[] _required;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, OptimizerPlan> _optimizers = new(StringComparer.Ordinal);
    private VariableLayout? _resultLayout;

    internal CompiledStrategy(Strategy definition, Dictionary<string, IStep> steps, IReadOnlyDictionary<string, IModel> models)
    {
        Definition = definition;
        Variables = [.. definition.Variables.Values];
        _index = Variables.Select((v, i) => (v.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _steps = steps;
        Models = models;
        _required = new bool[Variables.Count];
        foreach (var name in ReadVariables())
        {
            if (_index.TryGetValue(name, out var i) && Variables[i].Type is VariableType.Operative or VariableType.Informative)
            {
                _required[i] = true;
            }
        }

        RequiredTags = [.. Variables.Where((_, i) => _required[i]).Select(v => v.Name)];
        ResultDescriptions = ResultBuilder.Descriptions(definition, Variables);
        StepCount = steps.Count;
        PlainSteps = [.. definition.Skills.Values.Where(s => s is MathFunctionSkill or InferenceModelSkill).Select(s => steps[s.Name])];
        Plans = new PlanCache(Variables.Count, StepCount);
        States = VariableState.Pool(this);
        Scratch = CycleScratch.Pool(this);
    }

    public Strategy Definition { get; }

    public IReadOnlyList<Variable> Variables { get; }

    public IReadOnlyDictionary<string, IModel> Models { get; }

    internal int StepCount { get; }

    /// <summary>Every formula and model step, for a cycle's evaluations outside the solves.</summary>
    internal IReadOnlyList<IStep> PlainSteps { get; }

    /// <summary>The workspace plans of this strategy's solves, built once per shape of problem.</summary>
    internal PlanCache Plans { get; }

    /// <summary>The variable states of this strategy's cycles and solves, rented and given back.</summary>
    internal Microsoft.Extensions.ObjectPool.ObjectPool<VariableState> States { get; }

    /// <summary>What this strategy's cycles collect while their tasks run, rented and given back.</summary>
    internal Microsoft.Extensions.ObjectPool.ObjectPool<CycleScratch> Scratch { get; }

    public int Index(string name) => _index[name];

    public int? IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : null;

    /// <summary>Operative and Informative variables that some skill reads: the data must supply them.</summary>
    public bool IsRequiredTag(int variable) => _required[variable];

    /// <summary>The tags a cycle must read from the process data.</summary>
    public IReadOnlyList<string> RequiredTags { get; }

    /// <summary>
    /// Per variable, how a result describes it: when no optimizer takes it (its category by the strategy, see
    /// <see cref="ResultBuilder"/>), and when one does (optimizable).
    /// </summary>
    internal (VariableDescription Other, VariableDescription Decision)[] ResultDescriptions { get; }

    /// <summary>How the last result laid out its variables' values, for the next to share (<see cref="VariableLayout.For"/>).</summary>
    /// <remarks>One immutable layout swapped whole: a cycle that reads it keeps the one it read.</remarks>
    internal VariableLayout? ResultLayout
    {
        get => Volatile.Read(ref _resultLayout);
        set => Volatile.Write(ref _resultLayout, value);
    }

    internal IStep Step(string skill) => _steps[skill];

    /// <summary>What every cycle of an optimizer shares, made at its first cycle.</summary>
    internal OptimizerPlan Optimizer(OptimizationSkill optimizer) =>
        _optimizers.GetOrAdd(optimizer.Name, static (_, s) => OptimizerPlan.Of(s.Strategy, s.Optimizer), (Strategy: this, Optimizer: optimizer));

    /// <summary>The compute steps of a skill, compositions flattened in order.</summary>
    internal IEnumerable<IStep> Flatten(string skill) =>
        Definition.Skills[skill] is CompositionSkill composition
            ? composition.SkillSequence.SelectMany(Flatten)
            : [_steps[skill]];

    // Only skills that the tasks actually run can demand data; an unused skill must not block a cycle.
    private IEnumerable<string> ReadVariables()
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        void Reach(string name)
        {
            if (!reachable.Add(name) || !Definition.Skills.TryGetValue(name, out var skill))
            {
                return;
            }

            var children = skill switch
            {
                CompositionSkill composition => composition.SkillSequence,
                OptimizationSkill optimizer => [optimizer.CostSkillName],
                _ => [],
            };
            foreach (var child in children)
            {
                Reach(child);
            }
        }

        foreach (var name in Definition.Tasks.SelectMany(t => t.SkillSequence))
        {
            Reach(name);
        }

        foreach (var skill in Definition.Skills.Values.Where(s => reachable.Contains(s.Name)))
        {
            foreach (var input in skill.Inputs)
            {
                yield return input;
            }

            if (skill is ConstraintsSkill constraints)
            {
                foreach (var template in constraints.Template)
                {
                    yield return template.PredictedVariable;
                }
            }
        }
    }
}
