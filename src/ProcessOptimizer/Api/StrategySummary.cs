using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>
/// The deployed strategy as <c>GET /strategy</c> and the version switch report it, led by the original service's
/// <c>status</c>, <c>timestamp</c> and <c>message</c>.
/// </summary>
/// <param name="Status">Always <c>success</c>.</param>
/// <param name="Timestamp">When this answer was made.</param>
/// <param name="Message">One sentence naming the live version.</param>
public sealed record StrategySummary(
    string Status,
    DateTimeOffset Timestamp,
    string Message,
    string Name,
    string Version,
    string Summary,
    IReadOnlyDictionary<string, string> ModelVersions,
    IReadOnlyList<string> AvailableVersions,
    IReadOnlyList<string> Warnings)
{
    public static StrategySummary Of(DeployedStrategy deployed, IReadOnlyList<string> availableVersions, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        return new("success", now, message, deployed.Name, deployed.Version, StrategyDescription.Summary(deployed.Version, deployed.Definition), deployed.ModelVersions, availableVersions, deployed.Warnings);
    }
}
