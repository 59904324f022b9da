using Microsoft.AspNetCore.Http.HttpResults;

namespace ProcessOptimizer.Api;

/// <summary>A 404 whose body names what is missing (the title) and what there is, or where to look (the detail).</summary>
/// <remarks>
/// A problem result, so that it is written as <c>application/problem+json</c> through the problem service, with the
/// original service's <c>error</c>, <c>status_text</c> and <c>timestamp</c> as on every other error
/// (<see cref="SeedErrorFields"/>). A <c>NotFound&lt;ProblemDetails&gt;</c> wrote it as plain JSON without them,
/// and a bare <c>NotFound</c> left a body that named nothing.
/// </remarks>
public static class NotFoundProblem
{
    public static ProblemHttpResult Of(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);

    /// <summary>No run is stored with the id <paramref name="id"/>.</summary>
    public static ProblemHttpResult Run(long id) =>
        Of($"There is no run {id}", $"No run is stored with id {id}: ids are those /runs lists and /optimize answers with, and the run of an on-demand answer is deleted after Api:RunRetention");

    /// <summary>No backtest is stored with the id <paramref name="id"/>.</summary>
    public static ProblemHttpResult Backtest(long id) =>
        Of($"There is no backtest {id}", $"No backtest is stored with id {id}: ids are those POST /strategies/{{name}}/backtests answers with");
}
