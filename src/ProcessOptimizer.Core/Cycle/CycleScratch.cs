using Microsoft.Extensions.ObjectPool;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// What one cycle collects while its tasks run: the warnings, the move windows, the constraint templates, the optimizations'
/// outcomes, which variables were computed and which steps prepared. Rented from the compiled strategy by one cycle
/// and given back once its result is built, so a warm cycle allocates none of it; a cycle that throws leaves it to the
/// collector.
/// </summary>
/// <remarks>Nothing a result keeps is in here: the result copies the values it reports, and the warm solves are the solve logs' own lists.</remarks>
internal sealed class CycleScratch
{
    private CycleScratch(int variables, int steps)
    {
        Computed = new bool[variables];
        Prepared = new bool[steps];
    }

    /// <summary>The cycle's warnings as they come; the result keeps a copy of its own.</summary>
    public CycleWarnings Warnings { get; } = new();

    public Dictionary<int, (double Lower, double Upper)> Bounds { get; } = [];

    public List<ConstraintTemplate> Constraints { get; } = [];

    public List<OptimizationOutcome> Optimizations { get; } = [];

    /// <summary>Per variable, whether a step of the cycle computed it.</summary>
    public bool[] Computed { get; }

    /// <summary>Per step id, whether the cycle's plain workspace has prepared it.</summary>
    public bool[] Prepared { get; }

    // The optimizations' work, each with the pool it goes back to with this scratch.
    private List<(OptimizerPlan Plan, OptimizationWork Work)> Works { get; } = [];

    /// <summary>Work of <paramref name="plan"/>'s own for one optimization, given back to the plan with this scratch.</summary>
    public OptimizationWork Rent(OptimizerPlan plan)
    {
        var work = plan.Work.Get();
        Works.Add((plan, work));
        return work;
    }

    /// <summary>The pool a compiled strategy keeps its cycles' scratch in.</summary>
    public static ObjectPool<CycleScratch> Pool(CompiledStrategy strategy) => new DefaultObjectPool<CycleScratch>(new Policy(strategy));

    private sealed class Policy(CompiledStrategy strategy) : IPooledObjectPolicy<CycleScratch>
    {
        public CycleScratch Create() => new(strategy.Variables.Count, strategy.StepCount);

        // Emptied as it goes back, so that the pool holds no outcome or template of a finished cycle.
        public bool Return(CycleScratch obj)
        {
            obj.Warnings.Clear();
            obj.Bounds.Clear();
            obj.Constraints.Clear();
            obj.Optimizations.Clear();
            // By then the result is built: nothing reads the work's arrays any more.
            foreach (var (plan, work) in obj.Works)
            {
                plan.Work.Return(work);
            }

            obj.Works.Clear();
            Array.Clear(obj.Computed);
            Array.Clear(obj.Prepared);
            return true;
        }
    }
}
