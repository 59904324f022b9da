namespace ProcessOptimizer.Core.Strategies;

/// <summary>A strategy failed to load; <see cref="Problems"/> lists every problem found, not only the first.</summary>
public sealed class StrategyLoadException(string source, IReadOnlyList<StrategyProblem> problems)
    : Exception($"strategy {source} is invalid:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Where(p => !p.IsWarning))}")
{
    public IReadOnlyList<StrategyProblem> Problems { get; } = problems;
}
