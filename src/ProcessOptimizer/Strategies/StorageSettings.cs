using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Strategies;

/// <summary>The <c>Storage</c> configuration section: where strategies and models live.</summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    /// <summary><c>local</c> (default) or <c>s3</c>.</summary>
    public string Kind { get; set; } = "local";

    /// <summary>The folder of the local store; empty means the bundled kiln example.</summary>
    public string LocalRoot { get; set; } = "";

    /// <summary>The deployed-version pointer, in the seed's format: <c>process-optimization-strategy-config.yaml: 1.0.0</c>.</summary>
    public string DeployedVersionKey { get; set; } = "process-optimization-strategy-config.yaml";

    public S3Settings S3 { get; set; } = new();

    /// <summary><c>Storage:Limits:*</c>: size limits for strategies loaded from the store.</summary>
    public StrategyLimits Limits { get; set; } = new();

    /// <summary>The store these settings name; the service and its solver workers both open it this way.</summary>
    public IObjectStore CreateStore() => Kind == "s3" ? new S3ObjectStore(S3) : new LocalFolderStore(LocalRoot);

    public IEnumerable<string> Problems()
    {
        foreach (var problem in Limits.Problems($"{Section}:Limits"))
        {
            yield return problem;
        }

        if (Kind is not ("local" or "s3"))
        {
            yield return $"{Section}:Kind must be 'local' or 's3' (got '{Kind}')";
        }

        if (Kind == "s3" && string.IsNullOrWhiteSpace(S3.Endpoint))
        {
            yield return $"{Section}:S3:Endpoint is required when {Section}:Kind is 's3'";
        }

        if (string.IsNullOrWhiteSpace(DeployedVersionKey))
        {
            yield return $"{Section}:DeployedVersionKey is empty";
        }
    }
}
