namespace ProcessOptimizer.Core.Storage;

/// <summary>The key does not exist in the store.</summary>
public sealed class ObjectNotFoundException(string key, string store)
    : StorageException($"'{key}' does not exist in {store}", isTransient: false)
{
    public string Key { get; } = key;
}
