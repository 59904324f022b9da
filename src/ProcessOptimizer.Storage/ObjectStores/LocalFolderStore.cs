using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using ProcessOptimizer.Core.Storage;

namespace ProcessOptimizer.Storage.ObjectStores;

/// <summary>
/// An object store in a local folder: keys are relative paths under <see cref="Root"/>. The ETag is a hash of
/// the content, so a file replaced in place is noticed as S3 would notice it.
/// </summary>
/// <remarks>
/// A root folder that does not exist is a store that is down (a transient <see cref="StorageException"/>), not
/// an empty one; writing creates it.
/// </remarks>
public sealed class LocalFolderStore : IObjectStore
{
    public LocalFolderStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    // Only the folder's name: descriptions reach API answers and /health, where a machine path has no place.
    public string Description => $"local store '{Path.GetFileName(Root)}'";

    public Task<Stream> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw RootMissing() ?? new ObjectNotFoundException(key, Description);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot read '{key}' from {Description}: {ex.Message}", isTransient: ex is IOException, ex);
        }
    }

    public async Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        if (!file.Exists)
        {
            return RootMissing() is { } missing ? throw missing : null;
        }

        await using var stream = file.OpenRead();
        var hash = await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return new ObjectInfo(key, Convert.ToHexStringLower(hash), file.Length, file.LastWriteTimeUtc);
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write beside and rename, so a reader never sees half an object.
        var temporary = $"{path}.{Guid.NewGuid():n}.tmp";
        try
        {
            await using (var file = File.Create(temporary))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (RootMissing() is { } missing)
        {
            throw missing;
        }

        var keys = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !k.EndsWith(".tmp", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (await StatAsync(key, cancellationToken).ConfigureAwait(false) is { } info)
            {
                yield return info;
            }
        }
    }

    // A missing object in a store that is there is an answer; a store folder that is not there (unmounted, removed,
    // not yet restored) is a store that is down, so callers fall back to their cache as for an unreachable server.
    private StorageException? RootMissing() =>
        Directory.Exists(Root) ? null : new StorageException($"the folder of {Description} does not exist", isTransient: true);

    // Keys may not climb out of the root: a strategy from elsewhere must not read arbitrary files.
    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        return path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new StorageException($"key '{key}' points outside {Description}", isTransient: false);
    }
}
