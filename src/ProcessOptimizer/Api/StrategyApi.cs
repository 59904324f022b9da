using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>The deployed strategy and the version switch (admin).</summary>
public static class StrategyApi
{
    public static IEndpointRouteBuilder MapStrategyApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/strategies", (StrategyCatalog catalog, OptimizationSettings settings, TimeProvider time) => TypedResults.Ok(StrategyStates.Of(catalog, settings, time.GetUtcNow())))
            .WithName("Strategies").WithSummary("Every configured strategy with its state on this replica: version, status, last cycle, outcomes").WithTags("Strategies");
        routes.MapGet("/strategy", (StrategyCatalog catalog, TimeProvider time, CancellationToken cancellationToken) => GetAsync(catalog.Default.Repository, time, cancellationToken))
            .WithName("Strategy").WithSummary("The default strategy's deployed version, a summary, and the versions in the store")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        routes.MapPut("/strategy/version", (HttpRequest request, StrategyCatalog catalog, TimeProvider time, CancellationToken cancellationToken) => SwitchAsync(request, catalog.Default.Repository, time, cancellationToken))
            .WithName("SwitchStrategyVersion")
            .WithSummary("Make a version of the default strategy live, only after it validates and all its models load").AsVersionSwitch();
        foreach (var path in new[] { "/strategy-version-update", "/process/strategy-version-update" })
        {
            routes.MapPut(path, (HttpRequest request, StrategyCatalog catalog, TimeProvider time, CancellationToken cancellationToken) => SwitchAsync(request, catalog.Default.Repository, time, cancellationToken))
                .WithName(path.StartsWith("/process", StringComparison.Ordinal) ? "SwitchStrategyVersionSeedPath" : "StrategyVersionUpdate")
                .WithSummary("The original's paths for the version switch of the default strategy").AsVersionSwitch();
        }

        var named = routes.MapStrategyGroup();
        named.MapGet("", async Task<Results<Ok<StrategySummary>, ProblemHttpResult>> (string name, StrategyCatalog catalog, TimeProvider time, CancellationToken cancellationToken) =>
                catalog.Find(name) is { } strategy ? await GetAsync(strategy.Repository, time, cancellationToken).ConfigureAwait(false) : StrategyRoutes.Unknown(catalog, name))
            .WithName("StrategyByName").WithSummary("One strategy's deployed version, a summary, and its versions in the store")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        named.MapPut("/version", async Task<Results<Ok<StrategySummary>, ValidationProblem, ProblemHttpResult>> (string name, HttpRequest request, StrategyCatalog catalog, TimeProvider time, CancellationToken cancellationToken) =>
                catalog.Find(name) is { } strategy ? await SwitchAsync(request, strategy.Repository, time, cancellationToken).ConfigureAwait(false) : StrategyRoutes.Unknown(catalog, name))
            .WithName("SwitchStrategyVersionByName")
            .WithSummary("Make a version of one strategy live on every replica, only after it validates and all its models load").AsVersionSwitch();
        return routes;
    }

    // Every path of the switch takes and answers the same: 422 for a version missing from the store or refused
    // (with every problem), 503 when the store cannot be reached.
    private static RouteHandlerBuilder AsVersionSwitch(this RouteHandlerBuilder route) => route
        .Accepts<VersionSwitchRequest>("application/json")
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .RequireAdmin();

    private static async Task<Results<Ok<StrategySummary>, ProblemHttpResult>> GetAsync(StrategyRepository strategies, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var deployed = await strategies.CurrentAsync(cancellationToken).ConfigureAwait(false);
            var versions = await VersionsAsync(strategies, deployed, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(StrategySummary.Of(deployed, versions, $"Strategy version {deployed.Version} is live", time.GetUtcNow()));
        }
        catch (Exception ex) when (ex is StrategyVersionException or StorageException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No strategy is deployed", detail: ex.Message);
        }
    }

    // The store's versions; the live one alone when the store cannot be listed, since the summary is still true then.
    private static async Task<IReadOnlyList<string>> VersionsAsync(StrategyRepository strategies, DeployedStrategy deployed, CancellationToken cancellationToken)
    {
        try
        {
            return await strategies.VersionsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException)
        {
            return [deployed.Version];
        }
    }

    private static async Task<Results<Ok<StrategySummary>, ValidationProblem, ProblemHttpResult>> SwitchAsync(HttpRequest request, StrategyRepository strategies, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, malformed) = await JsonBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (malformed is not null)
        {
            return TypedResults.ValidationProblem(malformed);
        }

        if (body is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.String)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["is required, as a string such as \"1.0.1\""] });
        }

        // A text that cannot name a version is the request's error, as in a backtest's versions; the 422 below is
        // for a version that is well formed but missing from the store or does not load.
        var version = v.GetString()!;
        if (!StoreLayout.IsValidVersion(version))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = [StoreLayout.InvalidVersion(version)] });
        }

        try
        {
            var deployed = await strategies.SwitchAsync(version, cancellationToken).ConfigureAwait(false);
            var versions = await VersionsAsync(strategies, deployed, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(StrategySummary.Of(deployed, versions, $"Strategy version updated to {deployed.Version}", time.GetUtcNow()));
        }
        catch (StrategyVersionException ex)
        {
            var problems = ex.Problems.Where(p => !p.IsWarning).Select(p => p.ToString()).ToList();
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: $"Version {ex.Version} was refused; {strategies.Current?.Version ?? "the previous version"} stays live",
                detail: string.Join("; ", problems),
                extensions: new Dictionary<string, object?> { ["problems"] = problems });
        }
        catch (StorageException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The store is unreachable", detail: ex.Message);
        }
    }
}
