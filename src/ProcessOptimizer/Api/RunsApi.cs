using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>The stored record of cycles: <c>GET /runs</c>, <c>/runs/latest</c> and <c>/runs/{id}</c>.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder routes)
    {
        MapRoutes(DatabaseUnavailableHandler.Routes(routes));
        return routes;
    }

    private static void MapRoutes(RouteGroupBuilder routes)
    {
        routes.MapGet("/runs", async Task<Results<Ok<IReadOnlyList<RunRecord>>, ValidationProblem, ProblemHttpResult>> (IRunStore runs, StrategyCatalog catalog, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? strategy, CancellationToken cancellationToken) =>
                await StoredAsync(runs, catalog, strategy, cancellationToken).ConfigureAwait(false) is (true, var stored)
                    ? await RangeAsync(runs, time, from, to, limit, stored, cancellationToken).ConfigureAwait(false)
                    : StrategyRoutes.Unknown(catalog, strategy!))
            .WithName("Runs").WithSummary("The default strategy's loop runs started in a time range, newest first (default: the last 24 hours, 100 runs); ?strategy=NAME for another, NAME/api for its on-demand answers, * for all; a name nothing is configured or stored under is a 404")
            .ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGet("/runs/latest", async Task<Results<Ok<RunRecord>, ProblemHttpResult>> (IRunStore runs, StrategyCatalog catalog, string? strategy, CancellationToken cancellationToken) =>
                await StoredAsync(runs, catalog, strategy, cancellationToken).ConfigureAwait(false) is (true, var stored)
                    ? await LatestAsync(runs, stored, cancellationToken).ConfigureAwait(false)
                    : StrategyRoutes.Unknown(catalog, strategy!))
            .WithName("LatestRun").WithSummary("The default strategy's latest loop run with its recommendations; ?strategy=NAME for another, NAME/api for its on-demand answers, * for any; a name nothing is configured or stored under, or one without runs yet, is a 404")
            .ProducesProblem(StatusCodes.Status404NotFound);
        var named = routes.MapStrategyGroup();
        named.MapGet("/runs", async Task<Results<Ok<IReadOnlyList<RunRecord>>, ValidationProblem, ProblemHttpResult>> (string name, IRunStore runs, StrategyCatalog catalog, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken cancellationToken) =>
                catalog.Find(name) is { } found ? await RangeAsync(runs, time, from, to, limit, found.Name, cancellationToken).ConfigureAwait(false) : StrategyRoutes.Unknown(catalog, name))
            .WithName("StrategyRuns").WithSummary("One strategy's loop runs started in a time range, newest first (default: the last 24 hours, 100 runs)");
        named.MapGet("/runs/latest", async Task<Results<Ok<RunRecord>, ProblemHttpResult>> (string name, IRunStore runs, StrategyCatalog catalog, CancellationToken cancellationToken) =>
                catalog.Find(name) is { } found ? await LatestAsync(runs, found.Name, cancellationToken).ConfigureAwait(false) : StrategyRoutes.Unknown(catalog, name))
            .WithName("StrategyLatestRun").WithSummary("One strategy's latest loop run with its recommendations");
        routes.MapGet("/runs/{id:long}", OneAsync).WithName("Run").WithSummary("One run with its recommendations");
    }

    private static async Task<Results<Ok<IReadOnlyList<RunRecord>>, ValidationProblem, ProblemHttpResult>> RangeAsync(
        IRunStore runs, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? storedName, CancellationToken cancellationToken)
    {
        var end = to ?? time.GetUtcNow();
        var start = from ?? TimeShift.By(end, TimeSpan.FromDays(-1));
        if (start > end || limit is < 1 or > 10_000)
        {
            var errors = new Dictionary<string, string[]>();
            if (start > end)
            {
                errors["from"] = ["must not be after 'to'"];
            }

            if (limit is < 1 or > 10_000)
            {
                errors["limit"] = ["must be between 1 and 10000"];
            }

            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await runs.RangeAsync(start, end, limit ?? 100, storedName, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<RunRecord>, ProblemHttpResult>> LatestAsync(IRunStore runs, string? storedName, CancellationToken cancellationToken) =>
        await runs.LatestAsync(storedName, cancellationToken).ConfigureAwait(false) is { } run
            ? TypedResults.Ok(run)
            : NotFoundProblem.Of(
                $"No run of {storedName ?? "any strategy"} is stored yet",
                $"No run is stored under {(storedName is null ? "any name" : $"'{storedName}'")}: a strategy's runs are stored as its loop runs cycles, and those of NAME/api as /optimize answers for it");

    // The name the runs asked for are stored under (null: every run), and whether it names anything here: a
    // configured strategy (NAME, or NAME/api for its on-demand answers; disabled ones too) or a name with stored
    // runs, such as a strategy since taken out of the configuration. A mistyped name answered an empty list, which
    // an operator read as "no runs" rather than "no such strategy". Without a name, the loop's runs: an /optimize
    // answer can be for any input and strategy, and must not pass for the plant's current recommendation.
    private static async Task<(bool Known, string? Stored)> StoredAsync(IRunStore runs, StrategyCatalog catalog, string? strategy, CancellationToken cancellationToken)
    {
        switch (strategy)
        {
            case null or "":
                return (true, catalog.Default.Name);
            case "*":
                return (true, null);
        }

        var owner = strategy.EndsWith("/api", StringComparison.Ordinal) ? strategy[..^"/api".Length] : strategy;
        var known = catalog.Configured.Any(s => s.Name == owner)
            || await runs.LatestAsync(strategy, cancellationToken).ConfigureAwait(false) is not null;
        return (known, strategy);
    }

    private static async Task<Results<Ok<RunRecord>, ProblemHttpResult>> OneAsync(long id, IRunStore runs, CancellationToken cancellationToken) =>
        await runs.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } run ? TypedResults.Ok(run) : NotFoundProblem.Run(id);
}
