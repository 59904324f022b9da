namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// The parts of a <see cref="PlanKey"/> as a caller holds them, to look a plan up without copying them: only a plan
/// not yet kept makes a key, with copies of its own.
/// </summary>
internal readonly struct PlanProbe(IReadOnlyList<IStep> steps, IReadOnlyList<ConditionRow> rows, IReadOnlyList<int> decisions, int order, int cost, int[] constraints)
{
    public int Hash => PlanKey.Hash(steps, rows, decisions, order, cost, constraints);

    public bool Matches(PlanKey key) => PlanKey.Matches(key, steps, rows, decisions, order, cost, constraints);

    public PlanKey ToKey() => new([.. steps], [.. rows], [.. decisions], order, cost, constraints);
}
