using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Backtests;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Dashboard;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>
/// Backtests over the API: started in the background (<c>POST /strategies/{name}/backtests</c>, 202 with the id),
/// followed (<c>GET /backtests/{id}</c>: progress, then the summary), read (<c>/steps</c> paged, <c>/report</c> as
/// HTML) and cancelled (<c>DELETE</c>). Starting and cancelling are admin endpoints.
/// </summary>
public static class BacktestApi
{
    public const int MaxPage = 1000;

    public static IEndpointRouteBuilder MapBacktestApi(this IEndpointRouteBuilder routes)
    {
        MapRoutes(DatabaseUnavailableHandler.Routes(routes));
        return routes;
    }

    private static void MapRoutes(RouteGroupBuilder routes)
    {
        routes.MapPost("/strategies/{name}/backtests", StartAsync).WithName("StartBacktest")
            .WithSummary("Replay strategy versions over [from, to) every step in the background, behind the loop and /optimize; 202 with the id, 429 while Backtests:MaxRunning run")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAdmin();
        routes.MapGet("/backtests/{id:long}", StateAsync).WithName("Backtest")
            .WithSummary("A backtest's progress while it runs (steps done, total, ETA), then its summary per version");
        routes.MapGet("/backtests/{id:long}/steps", StepsAsync).WithName("BacktestSteps")
            .WithSummary("A backtest's steps in time order, then version; offset and limit (at most 1000), optionally one version");
        routes.MapGet("/backtests/{id:long}/report", ReportAsync).WithName("BacktestReport")
            .WithSummary("A finished backtest's report: tables and charts in one HTML page").Produces<string>(contentType: "text/html")
            .ProducesProblem(StatusCodes.Status409Conflict);
        routes.MapDelete("/backtests/{id:long}", CancelAsync).WithName("CancelBacktest")
            .WithSummary("Cancel a running backtest; it is stored as cancelled with the steps done so far")
            .ProducesProblem(StatusCodes.Status409Conflict).RequireAdmin();
    }

    private static async Task<Results<Accepted<BacktestState>, ValidationProblem, ProblemHttpResult>> StartAsync(
        string name, BacktestStartRequest? body, DashboardStrategies strategies, BacktestRunner runner, IBacktestStore store, BacktestSettings settings, CancellationToken cancellationToken)
    {
        if (strategies.Find(name) is null)
        {
            return strategies.Unknown(name);
        }

        var errors = new Dictionary<string, string[]>();
        if (body?.From is null)
        {
            errors["from"] = ["is required, as an ISO 8601 time"];
        }

        if (body?.To is null)
        {
            errors["to"] = ["is required, as an ISO 8601 time"];
        }

        var step = Duration(body?.Step, "step", errors);
        var horizon = Duration(body?.Horizon, "horizon", errors);
        if (body?.Versions?.Where(v => v is null || !StoreLayout.IsValidVersion(v)).Take(1).ToList() is [var invalid])
        {
            // The version switch's rule and answer: '../x' was looked up in the store and answered "does not exist" (a 422).
            errors["versions"] = [invalid is null ? "must hold versions, not null" : StoreLayout.InvalidVersion(invalid)];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        long? id;
        try
        {
            id = await runner.StartAsync(new BacktestRequest(body!.From!.Value, body.To!.Value, step, body.Versions ?? [], horizon), cancellationToken).ConfigureAwait(false);
        }
        catch (BacktestException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The backtest cannot run", detail: ex.Message);
        }
        catch (SolverUnavailableException ex)
        {
            return SolverUnavailable.Problem(ex);
        }

        if (id is not { } started)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many backtests are running", detail: $"{settings.MaxRunning} backtests run at once (Backtests:MaxRunning); retry when one ends");
        }

        var record = await store.GetAsync(started, cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted($"/backtests/{started}", State(record!, runner));
    }

    private static async Task<Results<Ok<BacktestState>, ProblemHttpResult>> StateAsync(long id, IBacktestStore store, BacktestRunner runner, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } record ? TypedResults.Ok(State(record, runner)) : NotFoundProblem.Backtest(id);

    private static async Task<Results<Ok<BacktestStepsPage>, ValidationProblem, ProblemHttpResult>> StepsAsync(
        long id, int? offset, int? limit, string? version, IBacktestStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (offset is < 0)
        {
            errors["offset"] = ["must not be negative"];
        }

        if (limit is < 1 or > MaxPage)
        {
            errors["limit"] = [$"must be between 1 and {MaxPage}"];
        }

        if (version is not null && !StoreLayout.IsValidVersion(version))
        {
            errors["version"] = [StoreLayout.InvalidVersion(version)];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return NotFoundProblem.Backtest(id);
        }

        // A version the backtest did not run has no steps: answered an empty page, a mistyped version read as
        // "this version did nothing", as a mistyped strategy on /runs read as "no runs".
        if (version is not null && !record.Versions.Contains(version, StringComparer.Ordinal))
        {
            return NotFoundProblem.Of(
                $"Backtest {id} did not run version '{version}'",
                $"Backtest {id} ran {string.Join(", ", record.Versions)}; ?version= takes one of them, or leave it out for all");
        }

        var (from, count) = (offset ?? 0, limit ?? 100);
        return TypedResults.Ok(new BacktestStepsPage(id, from, count, await store.StepsAsync(id, version, from, count, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReportAsync(long id, IBacktestStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } record)
        {
            return NotFoundProblem.Backtest(id);
        }

        if (record.Summary is not { } summary)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Backtest {id} has no report", detail: $"it is {Name(record.Status)}; the report is written when it completes");
        }

        var html = await BacktestFiles.HtmlAsync(store, JsonSerializer.Deserialize<BacktestSummary>(summary, Results.ResultJson.Options)!, cancellationToken).ConfigureAwait(false);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CancelAsync(long id, BacktestRunner runner, IBacktestStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return NotFoundProblem.Backtest(id);
        }

        return runner.Cancel(id, $"cancelled by DELETE /backtests/{id}")
            ? TypedResults.Accepted($"/backtests/{id}")
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Backtest {id} is not running here", detail: "it has ended, or runs on another replica");
    }

    private static BacktestState State(BacktestRecord record, BacktestRunner runner)
    {
        var progress = record.Status == BacktestStatus.Running ? runner.Progress(record.Id) : null;
        return new BacktestState(
            record.Id, record.StrategyName, Name(record.Status), record.From, record.To, record.Step.TotalSeconds, record.Versions, record.CreatedAt, record.FinishedAt,
            Math.Max(record.StepsDone, progress?.Done ?? 0), record.StepsTotal, progress?.Remaining?.TotalSeconds,
            record.Summary is { } summary ? JsonDocument.Parse(summary).RootElement.Clone() : null, record.Error);
    }

    private static string Name(BacktestStatus status) => status.ToString().ToLowerInvariant();

    private static TimeSpan? Duration(string? text, string field, Dictionary<string, string[]> errors)
    {
        try
        {
            return text is null ? null : Durations.Parse(text);
        }
        catch (FormatException ex)
        {
            errors[field] = [ex.Message];
            return null;
        }
    }
}
