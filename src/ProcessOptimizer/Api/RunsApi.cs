using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Api;

/// <summary>The stored record of cycles: <c>GET /runs</c>, <c>/runs/latest</c> and <c>/runs/{id}</c>.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/runs", RangeAsync).WithName("Runs").WithSummary("Runs started in a time range, newest first (default: the last 24 hours, 100 runs)");
        routes.MapGet("/runs/latest", LatestAsync).WithName("LatestRun").WithSummary("The latest run with its recommendations; ?strategy=process-optimization for the loop's, process-optimization/api for on-demand answers");
        routes.MapGet("/runs/{id:long}", OneAsync).WithName("Run").WithSummary("One run with its recommendations");
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<RunRecord>>, ValidationProblem>> RangeAsync(
        IRunStore runs, TimeProvider time, DateTimeOffset? from, DateTimeOffset? to, int? limit, CancellationToken cancellationToken)
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

        return TypedResults.Ok(await runs.RangeAsync(start, end, limit ?? 100, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<RunRecord>, NotFound>> LatestAsync(IRunStore runs, string? strategy, CancellationToken cancellationToken) =>
        await runs.LatestAsync(strategy, cancellationToken).ConfigureAwait(false) is { } run ? TypedResults.Ok(run) : TypedResults.NotFound();

    private static async Task<Results<Ok<RunRecord>, NotFound>> OneAsync(long id, IRunStore runs, CancellationToken cancellationToken) =>
        await runs.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } run ? TypedResults.Ok(run) : TypedResults.NotFound();
}
