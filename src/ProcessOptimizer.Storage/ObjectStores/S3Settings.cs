namespace ProcessOptimizer.Storage.ObjectStores;

/// <summary>The <c>Storage:S3</c> configuration section: any S3 API, MinIO included.</summary>
public sealed class S3Settings
{
    public string Endpoint { get; set; } = "";

    public string Bucket { get; set; } = "process-optimization";

    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    public string Region { get; set; } = "us-east-1";

    /// <summary>MinIO and most self-hosted servers need path-style addressing (http://host/bucket/key).</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Each store call is given up after this many seconds: a hung server is then a down server.</summary>
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>Retries of a transient failure, with jittered backoff, by the service's store guard (the SDK itself does not retry).</summary>
    public int MaxRetries { get; set; } = 2;
}
