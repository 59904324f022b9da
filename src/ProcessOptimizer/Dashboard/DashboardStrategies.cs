using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Api;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Dashboard;

/// <summary>
/// Turns a strategy name from a dashboard route into what serves it, through the deployment's
/// <see cref="StrategyCatalog"/>, the one place names are resolved.
/// </summary>
public sealed class DashboardStrategies(StrategyCatalog catalog)
{
    /// <summary>The strategy named <paramref name="name"/>, or null when the service runs none by that name.</summary>
    public DashboardStrategy? Find(string name) =>
        catalog.Find(name) is { } strategy ? new DashboardStrategy(strategy.Name, strategy.Repository, strategy.Health, strategy.Settings.IntervalSeconds, strategy.Settings.DataTable) : null;

    /// <summary>The answer for a name <see cref="Find"/> does not know: 404 naming it and the strategies there are.</summary>
    public ProblemHttpResult Unknown(string name) => StrategyRoutes.Unknown(catalog, name);
}
