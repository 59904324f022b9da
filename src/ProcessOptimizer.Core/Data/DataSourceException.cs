namespace ProcessOptimizer.Core.Data;

/// <summary>Process data could not be read; <see cref="IsTransient"/> for connection faults.</summary>
public sealed class DataSourceException(string message, bool isTransient, IReadOnlyList<string>? missingColumns = null, Exception? inner = null)
    : Exception(message, inner)
{
    public bool IsTransient { get; } = isTransient;

    /// <summary>Required tags with no column in the table: a configuration error.</summary>
    public IReadOnlyList<string> MissingColumns { get; } = missingColumns ?? [];
}
