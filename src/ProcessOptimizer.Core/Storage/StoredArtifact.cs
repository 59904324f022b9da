namespace ProcessOptimizer.Core.Storage;

/// <summary>An object's content as it was read, with the ETag it had then.</summary>
/// <remarks>Kept with what was built from it, so the service can hand a solver worker exactly what it loaded.</remarks>
public sealed record StoredArtifact(string Key, string ETag, byte[] Content);
