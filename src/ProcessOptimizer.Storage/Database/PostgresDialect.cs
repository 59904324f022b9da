using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Storage.Database;

/// <summary>PostgreSQL through Npgsql. Bulk loads use binary COPY into a temporary table, then one upsert.</summary>
/// <remarks>
/// Each session's time zone is <see cref="DatabaseOptions.TimeZone"/>: PostgreSQL then converts a
/// <c>timestamp without time zone</c> column to an instant, and back, in that zone, with its documented rules
/// for the hour that repeats and the hour that is skipped at a DST change.
/// </remarks>
internal sealed class PostgresDialect(string connectionString, DatabaseOptions options) : SqlDialect
{
    // Any fixed number: the key of the advisory lock that serialises schema changes between replicas.
    private const long SchemaLock = 0x50726f634f707431;

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(Bounded(connectionString, options, underGuard: true));

    public override DatabaseKind Kind => DatabaseKind.Postgres;

    public override string TimestampType => "timestamptz";

    public override string IdentityColumn => "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public override DbConnection CreateConnection() => _source.CreateConnection();

    public override RunStatements CreateRunStatements(DbConnection connection) => new PostgresRunStatements((NpgsqlConnection)connection);

    /// <summary>A time read as an instant: a naive column is converted in the session's zone.</summary>
    public override string InstantColumn(string column) => $"{Quote(column)}::timestamptz";

    // The pool and every wait are bounded unless the connection string says otherwise: a caller waits for a
    // connection, or for a hung server's answer, no longer than the guard's timeout.
    //
    // Under the guard, the driver's own command timeout is only a backstop, set past the guard's timeout and the
    // driver's cancellation of a given-up call (a connect timeout and the cancel's wait). When it fired with the
    // guard's, Npgsql sent its cancel request from the timed-out read, synchronously on a pool thread, which a stopped
    // server held for the connect timeout: a few such reads starved the pool, the guard's own timers fired a second
    // late, and the guard took that for a pause of this process and tried again (calls ended after 7-9 s, not 3).
    // The guard's timeout instead cancels on a thread of its own (DriverCall). What connects on its own, outside the
    // guard (the cluster's scheduler), keeps the driver's timeout at the call timeout: it is that caller's only bound.
    internal static string Bounded(string connectionString, DatabaseOptions options, bool underGuard = false)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var seconds = (int)Math.Ceiling(options.Resilience.Timeout.TotalSeconds);
        if (!Given(given, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
        {
            builder.MaxPoolSize = options.MaxPoolSize;
        }

        if (!Given(given, "Timeout"))
        {
            builder.Timeout = seconds;
        }

        if (!Given(given, "Command Timeout", "CommandTimeout"))
        {
            builder.CommandTimeout = underGuard ? (2 * seconds) + 1 : seconds;
        }

        if (!Given(given, "Cancellation Timeout", "CancellationTimeout"))
        {
            // A hung server does not answer the cancel request either: give up on the connection quickly.
            builder.CancellationTimeout = 500;
        }

        if (!Given(given, "Timezone"))
        {
            builder.Timezone = options.TimeZone ?? TimeZoneInfo.Local.Id;
        }

        return builder.ConnectionString;
    }

    private static bool Given(DbConnectionStringBuilder given, params string[] names) => names.Any(given.ContainsKey);

    // Npgsql writes timestamptz only from UTC values. Cut here: Npgsql drops the ticks since 2000 below a microsecond,
    // which moves a time before 2000 forward, not back.
    public override object Timestamp(DateTimeOffset value) => DataTime.Whole(value.UtcDateTime);

    // A transaction's own setting: default_transaction_read_only (set by ALTER SYSTEM and a reload, or per database)
    // and a standby in recovery both show here, in sessions already open too.
    public override string? ReadOnlyColumn => "current_setting('transaction_read_only')";

    public override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    public override async Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table";
        command.Parameters.Add(new NpgsqlParameter("table", table));
        return await NamesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    // Tables (plain and partitioned) and indexes. Read from the catalog, which lists them whoever owns them.
    protected override string ObjectsQuery =>
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'i')";

    // The rows stream through one binary COPY into a temporary table, then one statement upserts them all: the
    // client holds one batch at a time, the server the rest. Neither step has a command timeout, since both grow
    // with the input; a caller under the guard is still cancelled by its token.
    public override async Task<int> UpsertRowsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> columns, IEnumerable<RowBatch> batches, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        var names = string.Join(", ", columns.Select(Quote));
        await using (var create = npgsql.CreateCommand())
        {
            create.Transaction = (NpgsqlTransaction)transaction;
            create.CommandText = $"CREATE TEMP TABLE import_rows (\"timestamp\" timestamptz, {string.Join(", ", columns.Select(c => $"{Quote(c)} double precision"))}) ON COMMIT DROP";
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var written = 0;
        await using (var writer = await npgsql.BeginBinaryImportAsync($"COPY import_rows (\"timestamp\", {names}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            writer.Timeout = TimeSpan.Zero;
            foreach (var batch in batches)
            {
                for (var r = 0; r < batch.Count; r++)
                {
                    await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await writer.WriteAsync(DataTime.Whole(batch.Time(r).UtcDateTime), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    for (var c = 0; c < batch.Columns; c++)
                    {
                        if (batch.Values(r)[c] is { } v)
                        {
                            await writer.WriteAsync(v, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                written += batch.Count;
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var upsert = npgsql.CreateCommand();
        upsert.Transaction = (NpgsqlTransaction)transaction;
        upsert.CommandTimeout = 0;
        var updates = string.Join(", ", columns.Select(c => $"{Quote(c)} = EXCLUDED.{Quote(c)}"));
        upsert.CommandText = $"INSERT INTO process_data (\"timestamp\", {names}) SELECT \"timestamp\", {names} FROM import_rows ON CONFLICT (\"timestamp\") DO UPDATE SET {updates}";
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    // Per lock wait, not per statement: the merge of a large import may work for minutes, but waits for any one lock
    // (the schema's advisory lock, the table's for an ALTER, a row another session updated) no longer than the bound.
    public override async Task BoundLockWaitsAsync(DbConnection connection, DbTransaction transaction, TimeSpan bound, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT set_config('lock_timeout', @bound, true)";
        command.Parameters.Add(new NpgsqlParameter("bound", $"{Math.Max(1, (long)Math.Ceiling(bound.TotalMilliseconds))}ms"));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override bool IsLockHeld(Exception exception) => exception is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable };

    public override async Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({SchemaLock})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // A server that takes no writes (25006: a standby after a failover, a database set read-only) is down for
    // writing until that changes, as a read-only SQLite file is; its disk full (53100) Npgsql counts as transient. So
    // is a privilege refused (42501, a grant revoked): the database is not usable by this service until an operator
    // grants it again, and health must say so with the database's reason rather than stay healthy while runs wait. A
    // lock wait given up (55P03) passes when the other session ends its transaction, as SQLite's busy file does.
    public override bool IsTransient(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "40001" or "40P01" or "25006" or "42501" or "55P03",
        NpgsqlException => true,
        _ => exception is IOException or TimeoutException,
    };

    // CREATE ... IF NOT EXISTS looks for the object before it makes it: one made meanwhile by a session that takes no
    // lock of ours fails the statement on the catalog's unique index (23505 on a pg_ constraint), or as a duplicate.
    public override bool MadeMeanwhile(Exception exception) =>
        exception is PostgresException p && (p.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject
            || (p.SqlState == PostgresErrorCodes.UniqueViolation && p.ConstraintName?.StartsWith("pg_", StringComparison.Ordinal) == true));

    // Classes 22 (data exception), 23 (integrity constraint violation) and 54 (program limit exceeded, such as an
    // index row too large): the statement's values are refused. A refused privilege (42501) is not: it can be granted.
    public override bool RefusesTheData(Exception exception) =>
        exception is PostgresException p && (p.SqlState.StartsWith("22", StringComparison.Ordinal) || p.SqlState.StartsWith("23", StringComparison.Ordinal) || p.SqlState.StartsWith("54", StringComparison.Ordinal));

    // Npgsql's Message appends "\n\nPOSITION: 236" (and DETAIL, HINT...) to the server's text: the SQLSTATE and
    // MessageText say what happened, in one line, as the next cycle's "has no column for ..." does.
    public override string Describe(Exception exception) => exception is PostgresException p ? Text(p) : exception.Message;

    internal static string Text(PostgresException exception) => $"{exception.SqlState}: {exception.MessageText}";

    // 42P01: a table is not there; 3D000: the database itself is not (dropped, or dropped and not yet made again).
    public override bool IsMissingSchema(Exception exception) => exception is PostgresException { SqlState: "42P01" or "3D000" };
}
