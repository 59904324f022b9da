namespace ProcessOptimizer.Core.Strategies;

/// <summary>A validated strategy definition: the seed's YAML format as immutable data.</summary>
public sealed record Strategy(
    IReadOnlyDictionary<string, Variable> Variables,
    IReadOnlyDictionary<string, double> Weights,
    IReadOnlyDictionary<string, Skill> Skills,
    IReadOnlyList<StrategyTask> Tasks)
{
    /// <summary>Every skill of a type, in document order.</summary>
    public IEnumerable<T> SkillsOf<T>() where T : Skill => Skills.Values.OfType<T>();
}
