using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.ObjectStores;

/// <summary>
/// An object store behind a <see cref="DependencyGuard"/>: a store that hangs fails its calls after the timeout
/// with a transient <see cref="StorageException"/>, exactly as a store that refuses connections does, so the
/// callers' cache fallback covers both; while the circuit is open, calls fail at once.
/// </summary>
public sealed class ResilientObjectStore(IObjectStore inner, DependencyGuard guard) : IObjectStore, IDisposable
{
    public string Description => inner.Description;

    public DependencyGuard Guard => guard;

    public Task<Stream> GetAsync(string key, CancellationToken cancellationToken) =>
        guard.ExecuteAsync(ct => inner.GetAsync(key, ct), (message, ex) => Fail(key, message, ex), cancellationToken);

    public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken) =>
        guard.ExecuteAsync(ct => inner.StatAsync(key, ct), (message, ex) => Fail(key, message, ex), cancellationToken);

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) =>
        guard.ExecuteAsync(async ct =>
        {
            // A retried upload starts from the beginning of its content.
            if (content.CanSeek)
            {
                content.Position = 0;
            }

            await inner.PutAsync(key, content, ct).ConfigureAwait(false);
            return true;
        }, (message, ex) => Fail(key, message, ex), cancellationToken);

    /// <remarks>The listing is read whole under the guard, so that a store hanging halfway is one timed-out call.</remarks>
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = await guard.ExecuteAsync(async ct =>
        {
            var list = new List<ObjectInfo>();
            await foreach (var item in inner.ListAsync(prefix, ct).ConfigureAwait(false))
            {
                list.Add(item);
            }

            return list;
        }, (message, ex) => Fail(prefix, message, ex), cancellationToken).ConfigureAwait(false);
        foreach (var item in items)
        {
            yield return item;
        }
    }

    /// <summary>Disposes the store it guards (an S3 client holds connections).</summary>
    public void Dispose() => (inner as IDisposable)?.Dispose();

    private StorageException Fail(string key, string message, Exception inner) => new($"'{key}' in {Description}: {message}", isTransient: true, inner);
}
