using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ProcessOptimizer.Cli;
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
        routes.MapPut("/process/strategy-version-update", SwitchAsync).WithName("SwitchStrategyVersionSeedPath")
            .WithSummary("The seed's path for the version switch").AddEndpointFilter<AdminOnly>();
        return routes;
    }

    private static async Task<Results<Ok<StrategySummary>, ProblemHttpResult>> GetAsync(StrategyRepository strategies, CancellationToken cancellationToken)
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

            return TypedResults.Ok(new StrategySummary(deployed.Name, deployed.Version, ValidateCommand.Summary(deployed.Version, deployed.Definition), deployed.ModelVersions, versions, deployed.Warnings));
        }
        catch (Exception ex) when (ex is StrategyVersionException or StorageException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "No strategy is deployed", detail: ex.Message);
        }
    }

    private static async Task<Results<Ok<StrategySummary>, ValidationProblem, ProblemHttpResult>> SwitchAsync(HttpRequest request, StrategyRepository strategies, CancellationToken cancellationToken)
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
            return TypedResults.Ok(new StrategySummary(deployed.Name, deployed.Version, ValidateCommand.Summary(deployed.Version, deployed.Definition), deployed.ModelVersions, [deployed.Version], deployed.Warnings));
        }
        catch (StrategyVersionException ex)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: $"Version {ex.Version} was refused; {strategies.Current?.Version ?? "the previous version"} stays live",
                extensions: new Dictionary<string, object?> { ["problems"] = ex.Problems.Where(p => !p.IsWarning).Select(p => p.ToString()).ToList() });
        }
        catch (StorageException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The store is unreachable", detail: ex.Message);
        }
    }
}
