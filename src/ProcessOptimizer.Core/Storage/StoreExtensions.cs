namespace ProcessOptimizer.Core.Storage;

/// <summary>Convenience reads over <see cref="IObjectStore"/>.</summary>
public static class StoreExtensions
{
    public static async Task<byte[]> GetBytesAsync(this IObjectStore store, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var stream = await store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public static async Task<string> GetTextAsync(this IObjectStore store, string key, CancellationToken cancellationToken) =>
        System.Text.Encoding.UTF8.GetString(await store.GetBytesAsync(key, cancellationToken).ConfigureAwait(false));

    public static Task PutTextAsync(this IObjectStore store, string key, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.PutAsync(key, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), cancellationToken);
    }
}
