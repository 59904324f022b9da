namespace ProcessOptimizer.Storage.Database;

/// <summary>A database operation failed; <see cref="IsTransient"/> for connection and server faults that may pass.</summary>
public sealed class DatabaseException(string message, bool isTransient, Exception? inner = null) : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;
}
