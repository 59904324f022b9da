using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// SQLite, the embedded default. Timestamps are stored as UTC text with seven fraction digits, and are written and
/// read cut to the microsecond (<see cref="DataTime"/>), as PostgreSQL keeps them: a run or a row reads back the same on
/// either database, whoever wrote the file. Process data another program wrote in a text form of its own is read by
/// its time, not its text (<see cref="TimeKey"/>).
/// </summary>
/// <param name="busyTimeout">
/// How long a call waits for a file another writer holds. The driver waits for it synchronously, up to its own
/// command timeout (30 s by default), where the resilience timeout cannot interrupt it; so the driver never waits
/// longer than the service's call limit, which gives up on the call at that point anyway.
/// </param>
internal sealed class SqliteDialect(string connectionString, TimeSpan busyTimeout) : SqlDialect
{
    internal const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public override DatabaseKind Kind => DatabaseKind.Sqlite;

    public override string TimestampType => "TEXT";

    // The driver prepares statements per command, and a command lasts no longer than its connection stays open:
    // parsing the same three statements for every group of runs was a third of SQLite's time per stored run.
    // Between writes the kept connection holds no lock on the file, so nothing else waits for it.
    public override bool KeepsWriter => true;

    public override RunStatements CreateRunStatements(DbConnection connection) => SqliteRunStatements.Prepare((SqliteConnection)connection);

    public override string IdentityColumn => "id INTEGER PRIMARY KEY AUTOINCREMENT";

    // Worked out at the first connection, not at every one: parsing and writing the connection string again was most
    // of what opening a pooled connection allocated. Both depend only on the constructor's arguments. A reference, so
    // that connections opened at once on several threads read either nothing or the whole pair, never half of it.
    private Resolved? _resolved;

    public override DbConnection CreateConnection()
    {
        var (resolved, folder) = _resolved ??= Resolve();
        // Made again if it went away while the service runs, as on every connection before.
        if (folder is not null && !Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return new SqliteConnection(resolved);
    }

    private Resolved Resolve()
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var folder = builder.DataSource != ":memory:" ? Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) : null;
        // 0 would be no bound at all: a writer that never commits would hold a call for ever.
        var bound = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));
        builder.DefaultTimeout = builder.DefaultTimeout > 0 ? Math.Min(builder.DefaultTimeout, bound) : bound;
        return new Resolved(builder.ConnectionString, folder);
    }

    private sealed record Resolved(string ConnectionString, string? Folder);

    /// <summary>
    /// Write-ahead logging: a commit appends to the log instead of rewriting a rollback journal, and readers
    /// (<c>GET /runs</c>) do not block the writer. With <c>synchronous=NORMAL</c> a commit is not flushed to disk
    /// by itself; it survives a crash of the service, and a power cut can lose only the last commits, never the
    /// file's consistency. Every <c>/optimize</c> answer is stored, so the flushes were most of its storage time.
    /// </summary>
    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Nothing: both settings are about writing. The log mode is the database file's own, set by the first write
    /// (the schema's or an import's), and <c>synchronous</c> matters only for commits; every write sets them again
    /// on the connection it opens. Run at every read, they were a command, two statements and a reader per cycle.
    /// </summary>
    public override Task PrepareReadAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public override object Timestamp(DateTimeOffset value) => Text(value);

    /// <summary>The stored text of a time: UTC, cut to the microsecond, in <see cref="Format"/>.</summary>
    internal static string Text(DateTimeOffset value) => DataTime.Whole(value.UtcDateTime).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="value"/> as <see cref="Ticks"/>: a row is at or before it when its <see cref="TimeKey"/>, its time
    /// cut to the microsecond, is not greater, to the tick or not.
    /// </summary>
    public override object UpTo(DateTimeOffset value) => Ticks(value);

    public override object From(DateTimeOffset value) => Ticks(value);

    /// <summary><paramref name="value"/> cut to the microsecond, as 100 ns ticks since 1970: what <see cref="TimeKey"/> is compared with.</summary>
    internal static long Ticks(DateTimeOffset value) => DataTime.Whole(value.UtcDateTime).Ticks - DateTime.UnixEpoch.Ticks;

    public override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        DataTime.Whole(DateTimeOffset.ParseExact(reader.GetString(ordinal), Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    /// <summary>
    /// The row's time as 100 ns ticks since 1970, cut to the microsecond, from any text form SQLite's date functions
    /// read: the service's own, SQLite's <c>datetime('now')</c> (a space, no zone: UTC), with an offset or <c>Z</c>, with
    /// any number of fraction digits or none. Null for a text that is no time.
    /// </summary>
    /// <remarks>
    /// Text order is time order only within one form (<c>'2026-01-03 17:19'</c> sorts before <c>'2026-01-03T00:00'</c>),
    /// so process data is ordered and compared by this key, which an index on it keeps in time order
    /// (<see cref="TimeIndex"/>) as PostgreSQL's <c>timestamptz</c> key is. The fraction is taken from the text itself:
    /// SQLite's date functions keep only milliseconds and round, which would move <c>59.9999</c> into the next minute.
    /// The fraction counts forward from the second, so a time before 1970 is cut towards the past too. The text must
    /// be the same in the index and in every query for SQLite to use the index.
    /// </remarks>
    public override string TimeKey(string column)
    {
        var c = Quote(column);
        var zone = $"ltrim(substr({c}, 21), '0123456789')";
        var fraction = $"substr({c}, 21, length({c}) - 20 - length({zone}))";
        return $"(CAST(strftime('%s', CASE WHEN substr({c}, 20, 1) = '.' THEN substr({c}, 1, 19) || {zone} ELSE {c} END) AS INTEGER) * 10000000"
            + $" + CASE WHEN substr({c}, 20, 1) = '.' THEN CAST(substr({fraction} || '000000', 1, 6) AS INTEGER) * 10 ELSE 0 END)";
    }

    public override SchemaStep? TimeIndex(string table) =>
        new(table + "_time", $"CREATE INDEX IF NOT EXISTS {Quote(table + "_time")} ON {Quote(table)} ({TimeKey("timestamp")})");

    // The key itself: read as a number, it makes no string per row.
    public override string WindowTimeColumn(string column) => TimeKey(column);

    public override DateTimeOffset ReadWindowTime(DbDataReader reader, int ordinal) =>
        new(DateTime.UnixEpoch.Ticks + reader.GetInt64(ordinal), TimeSpan.Zero);

    public override async Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info({Literal(table)})";
        return await NamesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    protected override string ObjectsQuery => "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')";

    public override async Task<int> UpsertRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> columns, IEnumerable<RowBatch> batches, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var names = string.Join(", ", columns.Select(Quote));
        var values = string.Join(", ", columns.Select((_, i) => $"$v{i}"));
        var updates = string.Join(", ", columns.Select(c => $"{Quote(c)} = excluded.{Quote(c)}"));
        command.CommandText = $"INSERT INTO process_data (\"timestamp\", {names}) VALUES ($t, {values}) ON CONFLICT (\"timestamp\") DO UPDATE SET {updates}";
        var time = command.CreateParameter();
        time.ParameterName = "$t";
        command.Parameters.Add(time);
        var parameters = columns.Select((_, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"$v{i}";
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        var written = 0;
        foreach (var batch in batches)
        {
            for (var r = 0; r < batch.Count; r++)
            {
                time.Value = Timestamp(batch.Time(r));
                var row = batch.Values(r);
                for (var i = 0; i < parameters.Length; i++)
                {
                    parameters[i].Value = row[i] is { } v ? v : DBNull.Value;
                }

                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            written += batch.Count;
        }

        return written;
    }

    // The one lock a transaction waits for is the file's write lock, taken when it begins (IMMEDIATE, below), and
    // that wait is already bounded: by the busy timeout, the connection's default timeout (at most the call timeout).
    public override Task BoundLockWaitsAsync(DbConnection connection, DbTransaction transaction, TimeSpan bound, CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool IsLockHeld(Exception exception) => exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };

    // A deferred transaction takes the write lock at its first write. One that must upgrade after another writer
    // committed fails busy at once (its snapshot is stale): transient, so the guard runs the check again.
    public override ValueTask<DbTransaction> BeginReadFirstAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    // Microsoft.Data.Sqlite begins transactions IMMEDIATE: the write lock is already held.
    public override Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    // Busy and locked pass by themselves. A file the service cannot open or write (read-only, no permission, a full
    // or failing disk) passes when an operator fixes it: the database is down until then, so health reports it
    // and the background probe finds it again, as for a server that does not answer.
    public override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked or SqlitePermission or SqliteReadOnly or SqliteIoError or SqliteFull or SqliteCannotOpen } or IOException;

    public override bool RefusesTheData(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteTooBig or SqliteConstraint or SqliteMismatch or SqliteRange };

    // SQLite reports a missing table as a plain error (1), told apart by its message only.
    public override bool IsMissingSchema(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 1 } sqlite && sqlite.Message.Contains("no such table", StringComparison.Ordinal);

    // SQLite opens a file it cannot write read-only without complaint, and the driver pools that connection: once
    // the file is writable again, every write through it would still fail. Such a failure empties the pool, so the
    // next attempt opens the file afresh.
    public override void AfterFailure(Exception exception)
    {
        if (exception is SqliteException { SqliteErrorCode: SqliteReadOnly or SqlitePermission or SqliteCannotOpen or SqliteIoError })
        {
            using var connection = (SqliteConnection)CreateConnection();
            SqliteConnection.ClearPool(connection);
        }
    }

    private const int SqlitePermission = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCannotOpen = 14;
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;
    private const int SqliteRange = 25;

    private static string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";
}
