using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>The stored record of cycles: <c>GET /runs</c>, <c>/runs/latest</c> and <c>/runs/{id}</c>.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/runs", (IRunStore runs, StrategyCatalog catalog, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? strategy, CancellationToken cancellationToken) =>
                RangeAsync(runs, time, from, to, limit, Stored(catalog, strategy), cancellationToken))
            .WithName("Runs").WithSummary("The default strategy's loop runs started in a time range, newest first (default: the last 24 hours, 100 runs); ?strategy=NAME for another, NAME/api for its on-demand answers, * for all");
        routes.MapGet("/runs/latest", (IRunStore runs, StrategyCatalog catalog, string? strategy, CancellationToken cancellationToken) => LatestAsync(runs, Stored(catalog, strategy), cancellationToken))
            .WithName("LatestRun").WithSummary("The default strategy's latest loop run with its recommendations; ?strategy=NAME for another, NAME/api for its on-demand answers, * for any");
        var named = routes.MapStrategyGroup();
        named.MapGet("/runs", async Task<Results<Ok<IReadOnlyList<RunRecord>>, ValidationProblem, ProblemHttpResult>> (string name, IRunStore runs, StrategyCatalog catalog, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken cancellationToken) =>
                catalog.Find(name) is { } found ? await RangeAsync(runs, time, from, to, limit, found.Name, cancellationToken).ConfigureAwait(false) : StrategyRoutes.Unknown(catalog, name))
            .WithName("StrategyRuns").WithSummary("One strategy's loop runs started in a time range, newest first (default: the last 24 hours, 100 runs)");
        named.MapGet("/runs/latest", async Task<Results<Ok<RunRecord>, NotFound, ProblemHttpResult>> (string name, IRunStore runs, StrategyCatalog catalog, CancellationToken cancellationToken) =>
                catalog.Find(name) is { } found ? await LatestAsync(runs, found.Name, cancellationToken).ConfigureAwait(false) : StrategyRoutes.Unknown(catalog, name))
            .WithName("StrategyLatestRun").WithSummary("One strategy's latest loop run with its recommendations");
        routes.MapGet("/runs/{id:long}", OneAsync).WithName("Run").WithSummary("One run with its recommendations");
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<RunRecord>>, ValidationProblem, ProblemHttpResult>> RangeAsync(
        IRunStore runs, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? storedName, CancellationToken cancellationToken)
    {
        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddDays(-1);
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

    private static async Task<Results<Ok<RunRecord>, NotFound, ProblemHttpResult>> LatestAsync(IRunStore runs, string? storedName, CancellationToken cancellationToken) =>
        await runs.LatestAsync(storedName, cancellationToken).ConfigureAwait(false) is { } run ? TypedResults.Ok(run) : TypedResults.NotFound();

    // The loop's runs unless asked otherwise: an /optimize answer can be for any input and strategy, and must not
    // pass for the plant's current recommendation.
    private static string? Stored(StrategyCatalog catalog, string? strategy) => strategy switch
    {
        null or "" => catalog.Default.Name,
        "*" => null,
        _ => strategy,
    };

    private static async Task<Results<Ok<RunRecord>, NotFound>> OneAsync(long id, IRunStore runs, CancellationToken cancellationToken) =>
        await runs.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } run ? TypedResults.Ok(run) : TypedResults.NotFound();
}
