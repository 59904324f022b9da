using ProcessOptimizer.Configuration;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Scheduling;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Outbox;
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

    private static IResult Check(StrategyCatalog catalog, ProcessDatabase database, DependencyGuards guards, SolverHealth solver, RunOutbox outbox, OptimizationSettings settings, AppSettings app, ServiceInstance instance, TimeProvider time, IServiceProvider services)
    {
        var now = time.GetUtcNow();
        foreach (var strategy in catalog.All)
        {
            // What this answer reports was found before; the look keeps the next answer fresh.
            strategy.Pointer.Look();
        }

        var primary = catalog.Default.Repository;
        var store = catalog.All.Select(s => s.Repository.Health).FirstOrDefault(h => !h.IsReachable) ?? primary.Health;
        var storeState = guards.Store.Observe();
        var storeError = store.LastError ?? (!storeState.IsAvailable || storeState.IsCircuitOpen ? storeState.LastError : null);
        var databaseState = guards.Database.Observe();
        var databaseError = DatabaseReason.Of(databaseState, database.IsMigrated, database.ReadOnlyError, database.SchemaError);
        var strategies = catalog.All.Select(s => StrategyStates.Of(s, s == catalog.Default, settings, now)).ToList();
        var main = strategies[0];
        var staleSince = strategies.Select(s => s.StaleSince).Where(s => s is not null).Min();
        var staleTooLong = staleSince is { } since && now - since > TimeSpan.FromSeconds(settings.StaleUnhealthySeconds);
        var solving = solver.Report();
        var scheduler = SchedulerHealth.Of(services.GetService<ClusterSchedule>(), app.RunsLoop, instance, catalog, now);
        var ((onDisk, held), outboxFault) = (outbox.Waiting, outbox.Fault);
        var pending = onDisk + held;
        var refused = outbox.Refused;
        var outboxStatus = outboxFault is not null && held > 0 ? "unhealthy" : outboxFault is not null || refused > 0 ? "degraded" : "healthy";
        var outboxError = outboxFault?.Reason
            ?? (refused > 0 ? $"{refused} runs the database refused for good, or files that are not a run, are kept in the outbox's {RunOutbox.RefusedFolderName} folder (see the log)" : null);
        var unhealthy = outboxStatus == "unhealthy" || databaseError is not null || solving.Status == "unhealthy" || scheduler.Status == "unhealthy" || strategies.Any(s => s.Status == "unhealthy");
        var degraded = storeError is not null || pending > 0 || outboxStatus != "healthy" || solving.Status == "degraded" || strategies.Any(s => s.Status == "degraded");
        var status = unhealthy ? "unhealthy" : degraded ? "degraded" : "healthy";
        var noStrategy = strategies.Any(s => s.Error is not null);
        var report = new HealthReport(
            status,
            now,
            new HealthComponent(storeError is null ? "healthy" : noStrategy ? "unhealthy" : "degraded", primary.Store.Description, storeError, store.Since ?? storeState.Since),
            new HealthComponent(databaseError is null ? "healthy" : "unhealthy", database.Description, databaseError, databaseState.Since),
            new StrategyHealth(main.DeployedVersion, main.Error, main.BrokenVersion, main.BrokenReason),
            new DataHealth(staleTooLong ? "unhealthy" : staleSince is not null || pending > 0 ? "degraded" : "healthy", staleSince, pending) { PendingOnDisk = onDisk, PendingInMemory = held },
            main.LastCycle,
            main.CycleOutcomes,
            services.GetService<WorkerPool>() is { } pool ? WorkerHealth.Of(pool) : null)
        {
            Solver = new HealthComponent(solving.Status, null, solving.Reason, solving.Since),
            Strategies = strategies.ToDictionary(s => s.Name, StringComparer.Ordinal),
            Scheduler = scheduler,
            Outbox = new HealthComponent(outboxStatus, outbox.Description, outboxError, outboxFault?.Since),
        };
        return TypedResults.Json(report, statusCode: unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
