namespace ProcessOptimizer.Core.Storage;

/// <summary>
/// Where strategies and model artifacts live: a local folder or an S3 bucket. Keys are relative paths with
/// forward slashes, as in the seed's bucket.
/// </summary>
/// <remarks>
/// Failures throw <see cref="StorageException"/> naming the key and the store; <see cref="StorageException.IsTransient"/>
/// tells a network fault from a missing object. Implementations are thread-safe.
/// </remarks>
public interface IObjectStore
{
    /// <summary>For messages: the folder, or the endpoint and bucket.</summary>
    string Description { get; }

    /// <summary>The whole object. The caller disposes the stream.</summary>
    Task<Stream> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Metadata, or null when there is no such object.</summary>
    Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken);

    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);
}
