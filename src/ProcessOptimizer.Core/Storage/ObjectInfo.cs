namespace ProcessOptimizer.Core.Storage;

/// <summary>An object's key and version stamp. The ETag changes whenever the content does.</summary>
public sealed record ObjectInfo(string Key, string ETag, long Size, DateTimeOffset LastModified);
