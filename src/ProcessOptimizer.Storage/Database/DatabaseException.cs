namespace ProcessOptimizer.Storage.Database;

/// <summary>A database operation failed; <see cref="IsTransient"/> for connection and server faults that may pass.</summary>
/// <param name="refusesTheData">The database refused the values written (a constraint, a value or size it cannot hold): the same write will never succeed.</param>
public sealed class DatabaseException(string message, bool isTransient, Exception? inner = null, bool refusesTheData = false) : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;

    /// <summary>The values written are what the database refuses, not the database's state: writing them again fails again.</summary>
    public bool RefusesTheData { get; } = refusesTheData;
}
