namespace ProcessOptimizer.Api;

/// <summary>The body of the version switch, as the OpenAPI document describes it; the switch reads it itself, to name what is wrong with it.</summary>
/// <param name="Version">The version to make live, such as <c>1.0.1</c>: letters, digits, <c>.</c>, <c>-</c> and <c>_</c>, at most 64 characters.</param>
public sealed record VersionSwitchRequest(string Version);
