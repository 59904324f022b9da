using System.Data.Common;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Storage.Database;

/// <summary>What differs between SQLite and PostgreSQL; everything else is plain SQL shared by both.</summary>
internal abstract class SqlDialect
{
    public abstract DatabaseKind Kind { get; }

    public abstract string TimestampType { get; }

    public abstract string IdentityColumn { get; }

    public abstract DbConnection CreateConnection();

    /// <summary>The SQL that reads a process-data time column as an instant, whatever its declared type.</summary>
    public virtual string InstantColumn(string column) => Quote(column);

    /// <summary>
    /// Whether the connection that stores runs stays open between groups, with its statements prepared on it
    /// (<see cref="RunWriter"/>); otherwise it goes back to the driver's pool after each group.
    /// </summary>
    public virtual bool KeepsWriter => false;

    /// <summary>The statements that store runs on <paramref name="connection"/>, open and prepared (<see cref="PrepareAsync"/>).</summary>
    public abstract RunStatements CreateRunStatements(DbConnection connection);

    /// <summary>
    /// Begins a transaction for work that reads first and writes only what it finds missing (the schema's check): where
    /// a writer takes the whole database's lock when its transaction begins (SQLite), this one takes it only when it
    /// first writes, so a check that finds nothing missing waits for no other writer.
    /// </summary>
    public virtual ValueTask<DbTransaction> BeginReadFirstAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(cancellationToken);

    /// <summary>Settings for a connection just opened, before its transaction begins.</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Settings for a connection just opened for one read (a cycle's window), which writes nothing.</summary>
    public virtual Task PrepareReadAsync(DbConnection connection, CancellationToken cancellationToken) => PrepareAsync(connection, cancellationToken);

    public abstract object Timestamp(DateTimeOffset value);

    /// <summary>
    /// The parameter for rows "at or before <paramref name="value"/>": every row whose time, cut to the microsecond,
    /// is not after the microsecond of <paramref name="value"/>. The stored time itself where the database keeps
    /// microseconds only.
    /// </summary>
    public virtual object UpTo(DateTimeOffset value) => Timestamp(value);

    /// <summary>The parameter for process-data rows "at or after <paramref name="value"/>", compared with <see cref="TimeKey"/>.</summary>
    public virtual object From(DateTimeOffset value) => Timestamp(value);

    /// <summary>
    /// The SQL by which process-data rows are ordered and compared with <see cref="UpTo"/> and <see cref="From"/>: an
    /// expression in time order that an index keeps, so that no read scans the table. By default the time column
    /// itself, the primary key.
    /// </summary>
    public virtual string TimeKey(string column) => Quote(column);

    /// <summary>
    /// The index on <see cref="TimeKey"/> of the data table <paramref name="table"/> and the statement that makes it,
    /// when the key is not the primary key itself; null otherwise.
    /// </summary>
    public virtual SchemaStep? TimeIndex(string table) => null;

    /// <summary>
    /// The SQL that reads a process-data time column for <see cref="ReadWindowTime"/>: by default the instant itself.
    /// A window reads it once per row, so a dialect may pick a form that the driver reads without allocating.
    /// </summary>
    public virtual string WindowTimeColumn(string column) => InstantColumn(column);

    /// <summary>Reads what <see cref="WindowTimeColumn"/> selected.</summary>
    public virtual DateTimeOffset ReadWindowTime(DbDataReader reader, int ordinal) => ReadTimestamp(reader, ordinal);

    /// <summary>A process-data value: read directly when the driver has it as a double, converted otherwise (an integer or numeric column).</summary>
    public static double ReadValue(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.GetFieldType(ordinal) == typeof(double)
            ? reader.GetDouble(ordinal)
            : Convert.ToDouble(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    public abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);

    public abstract Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection, string table, CancellationToken cancellationToken);

    /// <summary>The names of the tables and indexes in the schema the service uses.</summary>
    public async Task<IReadOnlySet<string>> ObjectsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = ObjectsQuery;
        return (await NamesAsync(command, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// An expression whose value is <c>on</c> when the session's transaction takes no writes (a server set read-only,
    /// a standby); null when the database has no such state to read, and a write's own failure tells.
    /// </summary>
    public virtual string? ReadOnlyColumn => null;

    /// <summary>A query whose one column lists <see cref="ObjectsAsync"/>.</summary>
    protected abstract string ObjectsQuery { get; }

    /// <summary>The first column of every row <paramref name="command"/> returns.</summary>
    protected static async Task<IReadOnlyList<string>> NamesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>
    /// Inserts or replaces rows of <c>process_data</c> by timestamp, inside the caller's transaction, one batch at a
    /// time: each batch is written before the next is asked for, so the batches may share one buffer.
    /// </summary>
    /// <returns>The rows written.</returns>
    public abstract Task<int> UpsertRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> columns, IEnumerable<RowBatch> batches, CancellationToken cancellationToken);

    /// <summary>
    /// Bounds each wait for a lock another session holds, for the rest of the caller's transaction: a statement that
    /// waits longer fails (<see cref="IsLockHeld"/>) instead of waiting for ever, while the statements' own work
    /// stays unbounded.
    /// </summary>
    public abstract Task BoundLockWaitsAsync(DbConnection connection, DbTransaction transaction, TimeSpan bound, CancellationToken cancellationToken);

    /// <summary>Whether the failure is a wait given up for a lock that another session holds.</summary>
    public abstract bool IsLockHeld(Exception exception);

    /// <summary>Serialises schema changes between processes, inside the caller's transaction.</summary>
    public abstract Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    public abstract bool IsTransient(Exception exception);

    /// <summary>Whether the failure refuses the values written themselves (a key they repeat, a value or size the database cannot hold).</summary>
    public abstract bool RefusesTheData(Exception exception);

    /// <summary>Whether a statement that makes a missing object failed because another session made it meanwhile.</summary>
    public virtual bool MadeMeanwhile(Exception exception) => false;

    /// <summary>Whether the failure says a table (or the whole database) is not there: a schema to make again, not an outage.</summary>
    public abstract bool IsMissingSchema(Exception exception);

    /// <summary>The failure's message for a <see cref="DatabaseException"/>: one line, without the driver's diagnostics.</summary>
    public virtual string Describe(Exception exception) => exception.Message;

    /// <summary>Called after a call failed: drops pooled connections that the failure shows cannot be trusted.</summary>
    public virtual void AfterFailure(Exception exception)
    {
    }

    /// <summary>A quoted identifier. Names come from validated strategies and CSV headers, never from requests; quoting keeps any of them one identifier.</summary>
    public static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
