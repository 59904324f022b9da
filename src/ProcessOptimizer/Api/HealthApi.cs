using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Api;

/// <summary><c>GET /health</c>: 200 when healthy or degraded, 503 when unhealthy, with each component's state.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        foreach (var path in new[] { "/health", "/process/health" })
        {
            routes.MapGet(path, CheckAsync).WithName(path == "/health" ? "Health" : "HealthSeedPath").WithSummary("Overall status and its components")
                .Produces<HealthReport>().Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        }

        return routes;
    }

    private static async Task<IResult> CheckAsync(StrategyRepository strategies, IRunStore runs, CycleHealth cycles, SolverHealth solver, TimeProvider time, IServiceProvider services, CancellationToken cancellationToken)
    {
        string? strategyError = null;
        try
        {
            await strategies.CurrentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            strategyError = ex.Message;
        }

        string? databaseError = null;
        try
        {
            await runs.LastRunTimestampAsync(StrategyRepository.StrategyName, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseException ex)
        {
            databaseError = ex.Message;
        }

        var store = strategies.Health;
        var last = cycles.Last;
        var solving = solver.Report();
        var unhealthy = strategyError is not null || databaseError is not null || solving.Status == "unhealthy";
        var degraded = !store.IsReachable || last is { Outcome: null or RunOutcome.Error } || solving.Status == "degraded";
        var status = unhealthy ? "unhealthy" : degraded ? "degraded" : "healthy";
        var report = new HealthReport(
            status,
            time.GetUtcNow(),
            new HealthComponent(store.IsReachable ? "healthy" : "degraded", strategies.Store.Description, store.LastError, store.Since),
            new HealthComponent(databaseError is null ? "healthy" : "unhealthy", null, databaseError, null),
            new StrategyHealth(strategies.Current?.Version, strategyError),
            last is null ? null : new CycleReport(last.At, last.Outcome?.Name(), last.Error),
            cycles.Counts,
            services.GetService<WorkerPool>() is { } pool ? WorkerHealth.Of(pool) : null)
        {
            Solver = new HealthComponent(solving.Status, null, solving.Reason, solving.Since),
        };
        return TypedResults.Json(report, statusCode: unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
