using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Strategies;

/// <summary>A strategy version cannot go live; <see cref="Problems"/> lists every reason. The live version is unchanged.</summary>
public sealed class StrategyVersionException(string version, IReadOnlyList<StrategyProblem> problems)
    : Exception($"strategy version {version} cannot be deployed: {string.Join("; ", problems.Where(p => !p.IsWarning))}")
{
    public string Version { get; } = version;

    public IReadOnlyList<StrategyProblem> Problems { get; } = problems;
}
