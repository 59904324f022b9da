using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Collects problems while a strategy is read and validated.</summary>
internal sealed class ProblemList
{
    private readonly List<StrategyProblem> _items = [];

    public IReadOnlyList<StrategyProblem> Items => _items;

    public bool HasErrors => _items.Any(p => !p.IsWarning);

    public void Error(SourceLocation? location, string message) => _items.Add(new StrategyProblem(message, location));

    public void Warning(SourceLocation? location, string message) => _items.Add(new StrategyProblem(message, location, IsWarning: true));
}
