using System.Collections.Concurrent;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// The workspace plans of one compiled strategy, built once per shape of problem (the steps of a piece, its rows,
/// the decisions, the derivative order) and reused by every later solve of that shape. Thread-safe: plans are
/// immutable, and each solve rents scratch of its own from the plan.
/// </summary>
/// <remarks>
/// Bounded: a strategy with more shapes than <see cref="MaxPlans"/> (many kinks, each combination of sides a shape)
/// builds the others afresh at each use, as every solve did before plans were kept.
/// </remarks>
internal sealed class PlanCache(int variables, int stepCount)
{
    public const int MaxPlans = 256;

    private readonly ConcurrentDictionary<PlanKey, WorkspacePlan> _plans = new(PlanKeyComparer.Instance);

    /// <exception cref="CycleException">The derivatives' structure is larger than <see cref="DerivativeLayout.MaxEntries"/>.</exception>
    public WorkspacePlan Get(IReadOnlyList<IStep> steps, IReadOnlyList<ConditionRow> rows, IReadOnlyList<int> decisions, int order, int cost = -1, int[]? constraints = null)
    {
        // A plan without decisions needs no derivatives, whatever order was asked for.
        var probe = new PlanProbe(steps, rows, decisions, decisions.Count == 0 ? 0 : order, cost, constraints ?? []);
        // Looked up by the caller's own lists: a key, with its copies, is made only for a plan not yet kept.
        if (_plans.GetAlternateLookup<PlanProbe>().TryGetValue(probe, out var plan))
        {
            return plan;
        }

        var key = probe.ToKey();
        plan = new WorkspacePlan(key, variables, stepCount);
        return _plans.Count < MaxPlans ? _plans.GetOrAdd(key, plan) : plan;
    }
}
