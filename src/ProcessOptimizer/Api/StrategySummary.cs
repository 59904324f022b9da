namespace ProcessOptimizer.Api;

/// <summary>The deployed strategy as <c>GET /strategy</c> reports it.</summary>
public sealed record StrategySummary(string Name, string Version, string Summary, IReadOnlyDictionary<string, string> ModelVersions, IReadOnlyList<string> AvailableVersions, IReadOnlyList<string> Warnings);
