namespace ProcessOptimizer.Core.Strategies;

/// <summary>
/// How many steps a skill or a sequence runs once its compositions are expanded, counting only the steps
/// <paramref name="counts"/> picks, per composition and without expanding anything, so that a short strategy
/// standing for an enormous expansion costs nothing to check.
/// </summary>
internal sealed class ExpandedSteps(IReadOnlyDictionary<string, Skill> skills, long cap, Func<Skill, bool> counts)
{
    private readonly Dictionary<string, long> _known = new(StringComparer.Ordinal);

    /// <summary>Steps <paramref name="sequence"/> runs, or <c>cap + 1</c> when it runs more.</summary>
    /// <remarks>An unknown skill runs none, and a composition reached again inside itself adds nothing: both are errors reported elsewhere.</remarks>
    public long Of(IEnumerable<string> sequence)
    {
        long total = 0;
        foreach (var name in sequence)
        {
            total = Math.Min(total + Of(name), cap + 1);
        }

        return total;
    }

    public long Of(string name)
    {
        if (!skills.TryGetValue(name, out var skill))
        {
            return 0;
        }

        if (skill is not CompositionSkill composition)
        {
            return counts(skill) ? 1 : 0;
        }

        if (_known.TryGetValue(name, out var known))
        {
            return known;
        }

        _known[name] = 0;
        return _known[name] = Of(composition.SkillSequence);
    }
}
