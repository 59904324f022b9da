using ProcessOptimizer.Core.Yaml;

namespace ProcessOptimizer.Core.Strategies;

/// <summary>Collects problems while a strategy is read and validated.</summary>
internal sealed class ProblemList
{
    private readonly List<StrategyProblem> _items = [];

    public IReadOnlyList<StrategyProblem> Items => _items;

    public bool HasErrors => _items.Any(p => !p.IsWarning);

    // Messages quote names and formulas from the input; a hostile one can be megabytes long.
    public void Error(SourceLocation? location, string message) => _items.Add(new StrategyProblem(Echo.Quoted(message), location));

    public void Warning(SourceLocation? location, string message) => _items.Add(new StrategyProblem(Echo.Quoted(message), location, IsWarning: true));
}
