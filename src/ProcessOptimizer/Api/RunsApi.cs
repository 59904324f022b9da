using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Api;

/// <summary>The stored record of cycles: <c>GET /runs</c>, <c>/runs/latest</c> and <c>/runs/{id}</c>.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/runs", RangeAsync).WithName("Runs").WithSummary("The loop's runs started in a time range, newest first (default: the last 24 hours, 100 runs); ?strategy=process-optimization/api for on-demand answers, * for all");
        routes.MapGet("/runs/latest", LatestAsync).WithName("LatestRun").WithSummary("The loop's latest run with its recommendations; ?strategy=process-optimization/api for on-demand answers, * for any");
        routes.MapGet("/runs/{id:long}", OneAsync).WithName("Run").WithSummary("One run with its recommendations");
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<RunRecord>>, ValidationProblem>> RangeAsync(
        IRunStore runs, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, int? limit, string? strategy, CancellationToken cancellationToken)
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

        return TypedResults.Ok(await runs.RangeAsync(start, end, limit ?? 100, Stored(strategy), cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<RunRecord>, NotFound>> LatestAsync(IRunStore runs, string? strategy, CancellationToken cancellationToken) =>
        await runs.LatestAsync(Stored(strategy), cancellationToken).ConfigureAwait(false) is { } run ? TypedResults.Ok(run) : TypedResults.NotFound();

    // The loop's runs unless asked otherwise: an /optimize answer can be for any input and strategy, and must not
    // pass for the plant's current recommendation.
    private static string? Stored(string? strategy) => strategy switch
    {
        null or "" => Strategies.StrategyRepository.StrategyName,
        "*" => null,
        _ => strategy,
    };

    private static async Task<Results<Ok<RunRecord>, NotFound>> OneAsync(long id, IRunStore runs, CancellationToken cancellationToken) =>
        await runs.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } run ? TypedResults.Ok(run) : TypedResults.NotFound();
}
