using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Api;

/// <summary>
/// <c>GET /health</c>: 200 when healthy or degraded, 503 when unhealthy, with each component's state. It reports
/// what the last calls found and waits for no call itself, so it answers at once whatever the dependencies do;
/// it starts a cheap probe in the background when none ran lately, and a probe that has not come back in half a
/// second reports its dependency as not answering.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        foreach (var path in new[] { "/health", "/process/health" })
        {
            routes.MapGet(path, Check).WithName(path == "/health" ? "Health" : "HealthSeedPath").WithSummary("Overall status and its components, as last seen")
                .Produces<HealthReport>().Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        }

        return routes;
    }

    private static IResult Check(StrategyRepository strategies, ProcessDatabase database, DependencyGuards guards, CycleHealth cycles, SolverHealth solver, RunRecorder recorder, OptimizationSettings settings, TimeProvider time, IServiceProvider services)
    {
        var store = strategies.Health;
        var storeState = guards.Store.Observe();
        var storeError = store.LastError ?? (!storeState.IsAvailable || storeState.IsCircuitOpen ? storeState.LastError : null);
        var databaseState = guards.Database.Observe();
        var databaseError = !databaseState.IsAvailable || databaseState.IsCircuitOpen
            ? databaseState.LastError
            : database.IsMigrated ? null : "the schema is not created yet";
        var current = strategies.Current;
        var broken = strategies.Broken;
        var last = cycles.Last;
        var staleFor = cycles.StaleSince is { } since ? time.GetUtcNow() - since : (TimeSpan?)null;
        var staleTooLong = staleFor > TimeSpan.FromSeconds(settings.StaleUnhealthySeconds);

        // A cleared cache is not a fault: the live version loads again at its next use.
        var version = current?.Version ?? strategies.LiveVersion;
        var strategyError = current is null ? strategies.LoadError ?? (version is null ? "no strategy is loaded yet" : null) : null;
        var solving = solver.Report();
        var unhealthy = strategyError is not null || databaseError is not null || staleTooLong || solving.Status == "unhealthy";
        var degraded = storeError is not null || broken is not null || staleFor is not null || recorder.Pending > 0 || last is { Outcome: null or RunOutcome.Error } || solving.Status == "degraded";
        var status = unhealthy ? "unhealthy" : degraded ? "degraded" : "healthy";
        var report = new HealthReport(
            status,
            time.GetUtcNow(),
            new HealthComponent(storeError is null ? "healthy" : strategyError is not null ? "unhealthy" : "degraded", strategies.Store.Description, storeError, store.Since ?? storeState.Since),
            new HealthComponent(databaseError is null ? "healthy" : "unhealthy", database.Description, databaseError, databaseState.Since),
            new StrategyHealth(version, strategyError, broken?.Version, broken?.Reason),
            new DataHealth(staleTooLong ? "unhealthy" : staleFor is not null || recorder.Pending > 0 ? "degraded" : "healthy", cycles.StaleSince, recorder.Pending),
            last is null ? null : new CycleReport(last.At, last.Outcome?.Name(), last.Error),
            cycles.Counts,
            services.GetService<WorkerPool>() is { } pool ? WorkerHealth.Of(pool) : null)
        {
            Solver = new HealthComponent(solving.Status, null, solving.Reason, solving.Since),
        };
        return TypedResults.Json(report, statusCode: unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
