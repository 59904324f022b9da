using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Storage.Resilience;

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

    /// <summary>
    /// Where the version that last went live is recorded, so a restart while the pointer names a broken version
    /// serves it (see <see cref="LastGoodVersionFile"/>).
    /// </summary>
    public string LastGoodVersionFile { get; set; } = "data/last-good-version.json";

    /// <summary><c>Storage:Limits:*</c>: size limits for strategies loaded from the store.</summary>
    public StrategyLimits Limits { get; set; } = new();

    /// <summary>After repeated failures, store calls fail at once (the cache serves) for this many seconds before one probes again.</summary>
    public int BreakSeconds { get; set; } = 10;

    /// <summary>Timeout and retries of every store call: the S3 settings' for S3, the same defaults for a local folder.</summary>
    public ResilienceOptions Resilience() => new()
    {
        Timeout = TimeSpan.FromSeconds(S3.TimeoutSeconds),
        MaxRetries = S3.MaxRetries,
        BreakDuration = TimeSpan.FromSeconds(BreakSeconds),
    };

    /// <summary>
    /// The store these settings name, behind its guard (timeout, retries, circuit breaker). Only the service opens
    /// it: solver workers build from the artifacts the service sends them.
    /// </summary>
    public ResilientObjectStore CreateStore()
    {
        IObjectStore inner = Kind == "s3" ? new S3ObjectStore(S3) : new LocalFolderStore(LocalRoot);
        // Health's probe reads the version pointer's metadata: the cheapest call every deployment answers. It goes
        // to the store itself; the guard runs it beside the circuit.
        var guard = new DependencyGuard(inner.Description, Resilience(), ex => ex is StorageException { IsTransient: true }, ct => inner.StatAsync(DeployedVersionKey, ct));
        return new ResilientObjectStore(inner, guard);
    }

    /// <summary>These settings with another version pointer: one strategy's view of the shared store.</summary>
    public StorageSettings ForPointer(string pointerKey)
    {
        var copy = (StorageSettings)MemberwiseClone();
        copy.DeployedVersionKey = pointerKey;
        return copy;
    }

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

        if (S3.TimeoutSeconds < 1 || S3.MaxRetries < 0 || BreakSeconds < 1)
        {
            yield return $"{Section}:S3:TimeoutSeconds and {Section}:BreakSeconds must be at least 1 and {Section}:S3:MaxRetries at least 0";
        }

        if (string.IsNullOrWhiteSpace(LastGoodVersionFile))
        {
            yield return $"{Section}:LastGoodVersionFile is empty";
        }

        if (string.IsNullOrWhiteSpace(DeployedVersionKey))
        {
            yield return $"{Section}:DeployedVersionKey is empty";
        }
    }
}
