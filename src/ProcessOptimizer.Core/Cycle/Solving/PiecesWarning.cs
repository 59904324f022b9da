namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// The warning a search over kink pieces leaves: how many combinations of how many kinks, how many its cost bound
/// ruled out, and the best cost found (null when no piece ended feasible). Kept as these numbers and written out when
/// read, in the culture the cycle ran in, to the text the search wrote out before.
/// </summary>
internal sealed record PiecesWarning(string Skill, int Kinks, int Pruned, double? BestCost, IFormatProvider Culture)
{
    public string Text()
    {
        var count = 1 << Kinks;
        return BestCost is { } cost
            ? string.Create(Culture, $"skill '{Skill}': {count} combinations of {Kinks} max/min/abs kinks, {count - Pruned} solved and {Pruned} ruled out by their cost bound; the best costs {cost:G6}")
            : string.Create(Culture, $"skill '{Skill}': {count} combinations of {Kinks} max/min/abs kinks, {count - Pruned} solved and {Pruned} ruled out by their cost bound; none ended at a feasible point");
    }
}
