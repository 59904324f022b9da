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

    public int TimeoutSeconds { get; set; } = 10;

    public int MaxRetries { get; set; } = 3;
}
