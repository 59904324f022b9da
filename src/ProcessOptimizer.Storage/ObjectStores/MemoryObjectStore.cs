using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using ProcessOptimizer.Core.Storage;

namespace ProcessOptimizer.Storage.ObjectStores;

/// <summary>
/// Objects held in memory, each with the ETag it was given. A solver worker loads through one: the service
/// hands it the artifacts it loaded from the real store, ETags included, so the worker's cache stamps match
/// the service's and the worker never waits on the store.
/// </summary>
public sealed class MemoryObjectStore(string description) : IObjectStore
{
    private readonly ConcurrentDictionary<string, StoredArtifact> _objects = new(StringComparer.Ordinal);

    public string Description => description;

    /// <summary>Adds or replaces an object, keeping its ETag.</summary>
    public void Put(StoredArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        _objects[artifact.Key] = artifact;
    }

    /// <summary>Whether the store holds <paramref name="key"/> at exactly <paramref name="etag"/>.</summary>
    public bool Holds(string key, string etag) => _objects.TryGetValue(key, out var held) && held.ETag == etag;

    /// <summary>Drops every object whose key <paramref name="keep"/> does not select.</summary>
    public void RetainWhere(Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        foreach (var key in _objects.Keys.Where(k => !keep(k)))
        {
            _objects.TryRemove(key, out _);
        }
    }

    public Task<Stream> GetAsync(string key, CancellationToken cancellationToken) =>
        _objects.TryGetValue(key, out var held)
            ? Task.FromResult<Stream>(new MemoryStream(held.Content, writable: false))
            : throw new ObjectNotFoundException(key, description);

    public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue(key, out var held) ? Info(held) : null);

    /// <summary>Stores the content with an ETag of its hash, as the local folder store does.</summary>
    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var bytes = buffer.ToArray();
        Put(new StoredArtifact(key, Convert.ToHexStringLower(MD5.HashData(bytes)), bytes));
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var held in _objects.Values.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Info(held);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static ObjectInfo Info(StoredArtifact held) => new(held.Key, held.ETag, held.Content.Length, DateTimeOffset.UnixEpoch);
}
