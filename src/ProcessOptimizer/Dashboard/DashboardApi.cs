using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Api;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Dashboard;

/// <summary>
/// The endpoints the dashboard's pages read beyond the rest of the API: a strategy's status, its trends, a
/// version's YAML, and a run laid out against its limits. Every one is plain JSON or text, so whatever the
/// pages show can be scripted too.
/// </summary>
public static class DashboardApi
{
    public const int DefaultPoints = 800;
    public const int MaxPoints = 5000;
    public const int MaxRangeDays = 31;

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder routes)
    {
        // Every route reads the database; an outage of the store (a version's text, the deployed version) is a 503 too.
        MapRoutes(DatabaseUnavailableHandler.Routes(routes));
        return routes;
    }

    private static void MapRoutes(RouteGroupBuilder routes)
    {
        routes.MapGet("/strategies/{name}/status", StatusAsync).WithName("StrategyStatus")
            .WithSummary("Overview of a strategy: live version, mode, last cycle, data freshness, service factor over 24 h and 7 d, next cycle time, and a health colour with its reasons");
        routes.MapGet("/strategies/{name}/trends", TrendsAsync).WithName("StrategyTrends")
            .WithSummary("Trends over [from, to] (default the last 24 h, at most 31 days), downsampled on the server to at most `points` points per series (default 800, at most 5000): measured tags (bucket mean, min, max), decision variables with their move windows, predictions against the measured value `horizon` seconds later (default the cycle interval) with running bias and MAE, and runs with cost, cycle time and outcome; `vars` is a comma-separated list of strategy variables");
        routes.MapGet("/strategies/{name}/versions/{version}", VersionTextAsync).WithName("StrategyVersionText")
            .WithSummary("A stored version's YAML, as text").Produces<string>(contentType: "text/yaml");
        routes.MapGet("/runs/{id:long}/recommendation", RecommendationAsync).WithName("RunRecommendation")
            .WithSummary("One run laid out for operators: decision variables against move windows and hard limits with an at-limit flag, constraints against their bands (within, near, violated), solver status, iterations, cycle time, warnings, version and model ETags");
    }

    private static async Task<Results<Ok<StrategyStatus>, ProblemHttpResult>> StatusAsync(string name, DashboardStrategies strategies, StatusReader reader, CancellationToken cancellationToken) =>
        strategies.Find(name) is { } strategy
            ? TypedResults.Ok(await reader.ReadAsync(strategy, cancellationToken).ConfigureAwait(false))
            : strategies.Unknown(name);

    private static async Task<Results<Ok<TrendReport>, ValidationProblem, ProblemHttpResult>> TrendsAsync(
        string name, DateTimeOffset? from, DateTimeOffset? to, string? vars, int? points, double? horizon,
        DashboardStrategies strategies, ProcessHistory history, OptimizationSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        if (strategies.Find(name) is not { } strategy)
        {
            return strategies.Unknown(name);
        }

        Core.Strategies.Strategy definition;
        try
        {
            definition = (await strategy.Repository.CurrentAsync(cancellationToken).ConfigureAwait(false)).Definition;
        }
        catch (Exception ex) when (ex is StrategyVersionException or StorageException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No strategy version is loaded", detail: ex.Message);
        }

        var end = to ?? time.GetUtcNow();
        var start = from ?? TimeShift.By(end, TimeSpan.FromDays(-1));
        // A list that names nothing (",,,") is no list: the default variables, as without one, not a report of no series.
        var named = vars?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        var wanted = named.Length > 0 ? named : TrendBuilder.DefaultVariables(definition);
        var horizonSeconds = horizon ?? settings.IntervalSeconds;
        var errors = new Dictionary<string, string[]>();
        if (start >= end && from is null)
        {
            // The default start, a day before 'to', stops at the first instant there is: only a 'to' at it leaves no range.
            errors["to"] = [$"must be after {DateTimeOffset.MinValue:O}, the first instant there is, when no 'from' is given"];
        }
        else if (start >= end)
        {
            errors["from"] = ["must be before 'to'"];
        }
        else if (end - start > TimeSpan.FromDays(MaxRangeDays))
        {
            errors["from"] = [$"the range may span at most {MaxRangeDays} days"];
        }

        if (points is < 2 or > MaxPoints)
        {
            errors["points"] = [$"must be between 2 and {MaxPoints}"];
        }

        if (horizonSeconds is < 0 or > 86_400 || !double.IsFinite(horizonSeconds))
        {
            errors["horizon"] = ["must be between 0 and 86400 seconds"];
        }

        if (wanted.Where(v => !definition.Variables.ContainsKey(v)).ToList() is { Count: > 0 } unknown)
        {
            errors["vars"] = [$"not variables of strategy {name} version {strategy.Repository.Current?.Version}: {string.Join(", ", unknown.Take(10).Select(Core.Strategies.Echo.Short))}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tags = wanted.Concat(wanted.Select(v => TrendBuilder.MeasuredOf(definition, v)).OfType<string>()).Distinct(StringComparer.Ordinal).ToList();
        var rows = await history.RowsAsync(strategy.DataTable, tags, start, TimeShift.By(end, TimeSpan.FromSeconds(horizonSeconds)), cancellationToken).ConfigureAwait(false);
        var runs = await history.RunsAsync(strategy.Name, wanted, start, end, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(TrendBuilder.Build(strategy.Name, definition, wanted, rows, runs, start, end, points ?? DefaultPoints, horizonSeconds));
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> VersionTextAsync(string name, string version, DashboardStrategies strategies, StrategyVersions versions, CancellationToken cancellationToken)
    {
        if (strategies.Find(name) is not { } strategy)
        {
            return strategies.Unknown(name);
        }

        // A text that cannot name a version is the request's error, as for the version switch and backtests.
        if (!StoreLayout.IsValidVersion(version))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = [StoreLayout.InvalidVersion(version)] });
        }

        string? text;
        try
        {
            text = await versions.TextAsync(strategy, version, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            // The text is read from the store each time, never cached: a store that is away is the store's outage, as on the other routes.
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The store is unreachable", detail: ex.Message);
        }

        return text is not null
            ? TypedResults.Text(text, "text/yaml; charset=utf-8")
            : NotFoundProblem.Of(
                $"Strategy {name} has no version '{Core.Strategies.Echo.Short(version)}' in the store",
                $"No version '{Core.Strategies.Echo.Short(version)}' of {name} is stored; GET /strategies/{name} lists the versions in the store");
    }

    private static async Task<Results<Ok<RunExplanation>, ProblemHttpResult>> RecommendationAsync(long id, IRunStore runs, DashboardStrategies strategies, StrategyVersions versions, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } run)
        {
            return NotFoundProblem.Run(id);
        }

        // An /optimize answer is stored under "<strategy>/api" and explained with that strategy's versions.
        var owner = strategies.Find(run.StrategyName) ?? strategies.Find(run.StrategyName.Split('/')[0]);
        var (definition, note) = owner is null
            ? (null, $"strategy {run.StrategyName} is not run by this service, so its limits are not shown")
            : await versions.DefinitionAsync(owner, run.StrategyVersion, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(RunExplainer.Explain(run, definition, note));
    }
}
