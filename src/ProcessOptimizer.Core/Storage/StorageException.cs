namespace ProcessOptimizer.Core.Storage;

/// <summary>An object store operation failed; the message names the key and the store.</summary>
public class StorageException(string message, bool isTransient, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>A network or server fault that may pass; false for a missing object or a refusal.</summary>
    public bool IsTransient { get; } = isTransient;
}
