namespace ProcessOptimizer.Core.Data;

/// <summary>The seed's wide <c>process_data</c> table: a timestamp and one double column per tag.</summary>
public interface IProcessDataSource
{
    /// <summary>
    /// The newest row at or before <paramref name="at"/> and up to <paramref name="rows"/> − 1 rows before it,
    /// oldest first, with only <paramref name="tags"/>.
    /// </summary>
    /// <remarks>The window may be rented from the source's pool: dispose it once the cycle that reads it is over, and keep nothing of it.</remarks>
    /// <exception cref="DataSourceException">A tag has no column (<see cref="DataSourceException.MissingColumns"/>), or the database failed.</exception>
    ValueTask<Cycle.ProcessWindow> ReadWindowAsync(IReadOnlyList<string> tags, int rows, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>How many rows are stamped after <paramref name="after"/>, and the newest of them; null when none is.</summary>
    /// <exception cref="DataSourceException">The database failed.</exception>
    Task<RowsAfter?> AfterAsync(DateTimeOffset after, CancellationToken cancellationToken);
}
