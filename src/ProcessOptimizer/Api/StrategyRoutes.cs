using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>
/// Routes under <c>/strategies/{name}</c>: the group, and the answer for a name the catalog does not know. Every
/// endpoint that takes a strategy name resolves it through <see cref="StrategyCatalog.Find"/> and answers this.
/// </summary>
public static class StrategyRoutes
{
    /// <summary>The route group whose endpoints take the strategy's name as <c>{name}</c>.</summary>
    public static RouteGroupBuilder MapStrategyGroup(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.MapGroup("/strategies/{name}").WithTags("Strategies");
    }

    /// <summary>404 naming the unknown strategy and the ones there are.</summary>
    public static ProblemHttpResult Unknown(StrategyCatalog catalog, string name)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var shown = Core.Strategies.Echo.Short(name);
        return NotFoundProblem.Of(
            $"There is no enabled strategy named '{shown}'",
            $"'{shown}' is none of the enabled strategies: {string.Join(", ", catalog.All.Select(s => s.Name))}");
    }
}
