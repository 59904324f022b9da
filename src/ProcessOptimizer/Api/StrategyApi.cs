using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>The deployed strategy and the version switch (admin).</summary>
public static class StrategyApi
{
    public static IEndpointRouteBuilder MapStrategyApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/strategy", GetAsync).WithName("Strategy").WithSummary("The deployed version, a summary, and the versions in the store");
        routes.MapPut("/strategy/version", SwitchAsync).WithName("SwitchStrategyVersion")
            .WithSummary("Make a version live, only after it validates and all its models load").AddEndpointFilter<AdminOnly>();
        foreach (var path in new[] { "/strategy-version-update", "/process/strategy-version-update" })
        {
            routes.MapPut(path, SwitchAsync).WithName(path.StartsWith("/process", StringComparison.Ordinal) ? "SwitchStrategyVersionSeedPath" : "StrategyVersionUpdate")
                .WithSummary("The original's paths for the version switch").AddEndpointFilter<AdminOnly>();
        }

        return routes;
    }

    private static async Task<Results<Ok<StrategySummary>, ProblemHttpResult>> GetAsync(StrategyRepository strategies, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var deployed = await strategies.CurrentAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<string> versions;
            try
            {
                versions = await strategies.VersionsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StorageException)
            {
                versions = [deployed.Version];
            }

            return TypedResults.Ok(StrategySummary.Of(deployed, versions, $"Strategy version {deployed.Version} is live", time.GetUtcNow()));
        }
        catch (Exception ex) when (ex is StrategyVersionException or StorageException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No strategy is deployed", detail: ex.Message);
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

        try
        {
            var deployed = await strategies.SwitchAsync(v.GetString()!, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(StrategySummary.Of(deployed, [deployed.Version], $"Strategy version updated to {deployed.Version}", time.GetUtcNow()));
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
