using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Dashboard;

/// <summary>
/// The one place the dashboard's endpoints turn a strategy name from a route into what serves it. Today the
/// service runs one strategy, stored under <see cref="StrategyRepository.StrategyName"/>.
/// </summary>
public sealed class DashboardStrategies(StrategyRepository repository)
{
    /// <summary>The strategy named <paramref name="name"/>, or null when the service runs none by that name.</summary>
    public DashboardStrategy? Find(string name) =>
        name == StrategyRepository.StrategyName ? new DashboardStrategy(name, repository) : null;
}
