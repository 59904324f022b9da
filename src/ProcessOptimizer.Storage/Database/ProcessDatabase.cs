using System.Buffers;
using System.Data.Common;
using System.Text;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// The service's database: process data, runs and recommendations, in SQLite or PostgreSQL with one schema.
/// Opening it creates or migrates the schema idempotently; existing data is never dropped.
/// </summary>
public sealed class ProcessDatabase
{
    private const int SchemaVersion = 1;

    private readonly TaskCompletionSource _firstMigrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Written by the migration and the probe, read by health: each a single reference or flag swapped whole.
    private volatile bool _migrated;
    private volatile string? _schemaError;
    private volatile string? _readOnly;
    private int _schemaLosses;

    private ProcessDatabase(SqlDialect dialect, string description, ResilienceOptions resilience)
    {
        Dialect = dialect;
        Description = description;
        LockWait = resilience.Timeout;
        // The guard's probe is made straight, not through the guard, which runs it beside the circuit.
        Guard = new DependencyGuard(description, resilience, ex => ex is DatabaseException { IsTransient: true }, ct => CheckAsync(guarded: false, ct));
    }

    /// <summary>Every call's timeout, retries and circuit, and the database's last known state.</summary>
    public DependencyGuard Guard { get; }

    /// <summary>Whether the schema has been created or checked by this process, and not found missing since.</summary>
    public bool IsMigrated => _migrated;

    /// <summary>
    /// Completes when this process first has the schema (created or checked): what needs it from the start, the
    /// cycles, waits for it, while a database that does not answer at start-up keeps nothing else waiting.
    /// </summary>
    public Task FirstMigrated => _firstMigrated.Task;

    /// <summary>
    /// Why the schema is not there: the last attempt to create or check it failed (in the database's words), or
    /// <see cref="CheckAsync(CancellationToken)"/> found it gone; null once it is made again.
    /// </summary>
    public string? SchemaError => _schemaError;

    /// <summary>
    /// Why no run can be written although the database answers: the last probe found its transactions read-only
    /// (a server set read-only, a standby after a failover); null when it takes writes. Found before any write is
    /// refused, so health says it even when nothing writes (a cluster whose scheduler cannot check in runs no cycle).
    /// </summary>
    public string? ReadOnlyError => _readOnly;

    /// <summary>How often <see cref="CheckAsync(CancellationToken)"/> has found the schema gone: what else lives in the database (the cluster's tables) was likely lost with it.</summary>
    public int SchemaLosses => Volatile.Read(ref _schemaLosses);

    public DatabaseKind Kind => Dialect.Kind;

    /// <summary>For messages and health: the kind and where it is, without credentials.</summary>
    public string Description { get; }

    internal SqlDialect Dialect { get; }

    /// <summary>
    /// The longest a call waits for a lock that another session holds: the call timeout, which bounds every call, and
    /// also each lock wait of a bulk load, which itself has no timeout (<see cref="SqlDialect.BoundLockWaitsAsync"/>).
    /// </summary>
    internal TimeSpan LockWait { get; }

    public static ProcessDatabase Create(DatabaseKind kind, string connectionString, DatabaseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new DatabaseOptions();
        // The description reaches answers (health, error messages): a file's name, never where it lies on the machine.
        return kind switch
        {
            DatabaseKind.Sqlite => new ProcessDatabase(new SqliteDialect(connectionString, options.Resilience.Timeout), $"sqlite {Path.GetFileName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource)}", options.Resilience),
            _ => CreatePostgres(connectionString, options),
        };
    }

    /// <summary>
    /// <paramref name="connectionString"/> with the bounds the service's own PostgreSQL connections have, where it
    /// does not set them: the pool's size, the connect and command timeouts at the call timeout, and a short wait for
    /// a cancel's answer. For what connects on its own (the cluster's scheduler), so that a hung server holds it no
    /// longer than the service's calls.
    /// </summary>
    public static string BoundedPostgres(string connectionString, DatabaseOptions? options = null) =>
        PostgresDialect.Bounded(connectionString, options ?? new DatabaseOptions());

    private static ProcessDatabase CreatePostgres(string connectionString, DatabaseOptions options)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return new ProcessDatabase(new PostgresDialect(connectionString, options), $"postgres {builder.Host}:{builder.Port}/{builder.Database}", options.Resilience);
    }

    /// <summary>Creates missing tables, columns and indexes. Safe to run from several processes at once.</summary>
    /// <remarks>
    /// Only what is missing is made. The schema's objects are looked up first, so that a schema already current
    /// needs no right but to read and write the tables: a plant may run the service as a role that owns none of
    /// them (PostgreSQL refuses even <c>CREATE INDEX IF NOT EXISTS</c> to anyone but the table's owner).
    /// </remarks>
    /// <exception cref="DatabaseException">The database cannot be reached, or refuses a change the schema needs; <see cref="SchemaError"/> keeps why.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            for (var round = 1; ; round++)
            {
                try
                {
                    await RunAsync("migrate the schema", MigrateOnceAsync, cancellationToken, write: true, readFirst: true).ConfigureAwait(false);
                    break;
                }
                catch (DatabaseException ex) when (round < 3 && ex.InnerException is { } cause && Dialect.MadeMeanwhile(cause))
                {
                    // A session that takes no lock of ours (a plant's own writer making process_data) made an object
                    // between the lookup and its statement: the next round finds it made.
                }
            }
        }
        catch (DatabaseException ex)
        {
            _schemaError = ex.Message;
            throw;
        }

        _schemaError = null;
        _migrated = true;
        _firstMigrated.TrySetResult();
    }

    // Only what is missing is written, so a schema already whole is checked without a write: on SQLite the check then
    // waits for no writer (import-data's check, while another connection holds the file's write lock).
    private async Task MigrateOnceAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await Dialect.LockSchemaAsync(connection, transaction, ct).ConfigureAwait(false);
        var objects = await Dialect.ObjectsAsync(connection, ct).ConfigureAwait(false);
        foreach (var step in RunSchema.Steps(Dialect).Concat(BacktestSchema.Steps(Dialect)))
        {
            var present = step.Table is { } table
                ? (await Dialect.ColumnsAsync(connection, table, ct).ConfigureAwait(false)).Contains(step.Name)
                : objects.Contains(step.Name);
            if (!present)
            {
                await ExecuteAsync(connection, transaction, step.Create, ct).ConfigureAwait(false);
            }
        }

        await using var versioned = connection.CreateCommand();
        versioned.Transaction = transaction;
        versioned.CommandText = "SELECT count(*) FROM schema_version";
        if (Convert.ToInt64(await versioned.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_version (version) SELECT {SchemaVersion} WHERE NOT EXISTS (SELECT 1 FROM schema_version)", ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The cheapest call that shows the database answers and still holds the service's schema: the schema's version
    /// row. A database restored to nothing (dropped and made again, or a table dropped) answers that the table or
    /// the database is not there; the schema is then taken for lost, <see cref="IsMigrated"/> turns false with
    /// <see cref="SchemaError"/> saying why, and the next <see cref="MigrateAsync"/> makes what is missing.
    /// </summary>
    /// <exception cref="DatabaseException">The database cannot be reached.</exception>
    public Task CheckAsync(CancellationToken cancellationToken) => CheckAsync(guarded: true, cancellationToken);

    private async Task CheckAsync(bool guarded, CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            await ProbeAsync("answer a probe", "SELECT 1", guarded, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await ProbeAsync("read the schema version", "SELECT version FROM schema_version", guarded, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseException ex) when (ex.InnerException is { } cause && Dialect.IsMissingSchema(cause))
        {
            _schemaError = $"the service's tables are gone ({cause.Message}); they are made again as soon as the database allows it";
            Interlocked.Increment(ref _schemaLosses);
            _migrated = false;
        }
    }

    // The probe's statement, in one transaction, under the guard or straight (the guard's own probe); where the
    // database can tell, the same statement reads whether the transaction takes writes, so a probe is still one
    // round trip.
    private Task ProbeAsync(string what, string sql, bool guarded, CancellationToken cancellationToken)
    {
        async Task<bool> Work(DbConnection connection, DbTransaction transaction, CancellationToken ct)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            if (Dialect.ReadOnlyColumn is not { } readOnly)
            {
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return true;
            }

            command.CommandText = $"SELECT ({readOnly}) FROM ({sql}) AS probe";
            var found = string.Equals(await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string, "on", StringComparison.Ordinal);
            _readOnly = found ? $"{Description} is read-only (its transactions take no writes): no run can be stored, runs wait in the outbox, and a cluster's scheduler can neither check in nor fire a cycle" : null;
            return true;
        }

        return guarded ? RunAsync(what, Work, cancellationToken) : RunOnceAsync(what, Work, cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction; failures become <see cref="DatabaseException"/> naming what was being done.</summary>
    internal async Task RunAsync(string what, Func<DbConnection, DbTransaction, CancellationToken, Task> work, CancellationToken cancellationToken, bool write = false, bool readFirst = false) =>
        await RunAsync<bool>(what, async (c, t, ct) =>
        {
            await work(c, t, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken, write, readFirst).ConfigureAwait(false);

    /// <remarks>
    /// The work runs under <see cref="Guard"/>: it is cancelled after the timeout (a hung server), retried when the
    /// failure is transient, and refused at once while the circuit is open. Each failure is a <see cref="DatabaseException"/>.
    /// </remarks>
    /// <param name="write">
    /// The work writes rows: a failure (a full disk) keeps the database unavailable until such a write succeeds. Not
    /// for a statement that usually changes nothing (pruning, a sweep of stale rows): it commits even on a full disk
    /// and would say nothing about whether the next run can be stored.
    /// </param>
    /// <param name="readFirst">The work writes only what it finds missing (<see cref="SqlDialect.BeginReadFirstAsync"/>).</param>
    internal Task<T> RunAsync<T>(string what, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken, bool write = false, bool readFirst = false) =>
        Guard.ExecuteAsync(
            ct => RunOnceAsync(what, work, ct, readFirst: readFirst),
            (message, ex) => new DatabaseException($"cannot {what}: {message}", isTransient: true, ex),
            cancellationToken,
            write);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, once, under <see cref="Guard"/> but without its per-call timeout:
    /// for a bulk load whose length grows with its input (no per-call timeout fits it) and whose input is a stream that a
    /// retry could not read again. A database that stops answering still ends it, as it ends every call in flight
    /// (<see cref="DependencyGuard.ExecuteUnboundedAsync{T}"/>).
    /// </summary>
    /// <param name="step">What the work does now, which it sets as it goes: a failure names it with the database.</param>
    /// <remarks>Failures become <see cref="DatabaseException"/>; any other exception of the work (bad input) passes through.
    /// Either way the transaction is rolled back.</remarks>
    internal Task<T> RunBulkAsync<T>(string what, CurrentStep step, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        Guard.ExecuteUnboundedAsync(
            ct => RunOnceAsync(what, work, ct, step),
            (message, ex) => new DatabaseException($"{Description}: cannot {what} ({step.Now}): {message}", isTransient: true, ex),
            cancellationToken,
            write: true);

    // One attempt in one transaction: what the guard runs, and the guard's own probe. A step, when given, is kept up to
    // date here for what happens around the work, and named by a failure.
    // readFirst: the work writes only what it finds missing (SqlDialect.BeginReadFirstAsync).
    private async Task<T> RunOnceAsync<T>(string what, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken, CurrentStep? step = null, bool readFirst = false)
    {
        try
        {
            await using var connection = Dialect.CreateConnection();
            step?.Now = "opening a connection";
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await Dialect.PrepareAsync(connection, cancellationToken).ConfigureAwait(false);
            step?.Now = "beginning the transaction";
            await using var transaction = await (readFirst ? Dialect.BeginReadFirstAsync(connection, cancellationToken) : connection.BeginTransactionAsync(cancellationToken)).ConfigureAwait(false);
            var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
            step?.Now = "committing";
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Failure(step is null ? what : $"{what} ({step.Now})", ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="argument"/> under <see cref="Guard"/>, as <see cref="RunAsync{T}"/>
    /// does, for work that keeps its own connection (one statement, or a transaction of its own).
    /// </summary>
    /// <param name="write">As for <see cref="RunAsync{T}"/>.</param>
    internal Task<T> GuardedAsync<TArgument, T>(string what, Func<TArgument, CancellationToken, Task<T>> work, TArgument argument, CancellationToken cancellationToken, bool write = false) =>
        Guard.ExecuteAsync(
            async ct =>
            {
                try
                {
                    return await work(argument, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsDatabaseFailure(ex))
                {
                    throw Failure(what, ex);
                }
            },
            (message, ex) => new DatabaseException($"cannot {what}: {message}", isTransient: true, ex),
            cancellationToken,
            write);

    /// <summary>
    /// <see cref="GuardedAsync{TArgument, T}(string, Func{TArgument, CancellationToken, Task{T}}, TArgument, CancellationToken, bool)"/>
    /// for work that may complete at once: the guard's delegates are static and the state is passed through, so that
    /// such work (a kept SQLite statement) allocates nothing here.
    /// </summary>
    internal ValueTask<T> GuardedAsync<TArgument, T>(string what, Func<TArgument, CancellationToken, ValueTask<T>> work, TArgument argument, CancellationToken cancellationToken, bool write = false) =>
        Guard.ExecuteAsync(
            static (s, ct) => s.Database.GuardedOnceAsync(s.What, s.Work, s.Argument, ct),
            static (s, message, ex) => new DatabaseException($"cannot {s.What}: {message}", isTransient: true, ex),
            (Database: this, What: what, Work: work, Argument: argument),
            cancellationToken,
            write);

    private async ValueTask<T> GuardedOnceAsync<TArgument, T>(string what, Func<TArgument, CancellationToken, ValueTask<T>> work, TArgument argument, CancellationToken cancellationToken)
    {
        try
        {
            return await work(argument, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Failure(what, ex);
        }
    }

    private static bool IsDatabaseFailure(Exception ex) => ex is DbException or IOException or TimeoutException or InvalidOperationException && ex is not DatabaseException;

    private DatabaseException Failure(string what, Exception ex)
    {
        Dialect.AfterFailure(ex);
        var held = Dialect.IsLockHeld(ex)
            ? $"another session holds a lock it needs (an open transaction that wrote to or locked the data) and did not release it within the {LockWait.TotalSeconds:G} s a lock is waited for; end that transaction, then try again: "
            : "";
        return new DatabaseException($"{Description}: cannot {what}: {held}{Dialect.Describe(ex)}", Dialect.IsTransient(ex), ex, Dialect.RefusesTheData(ex));
    }

    internal static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = Stored(value);
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// A value as the database stores it: null as NULL, and text with a NUL character (PostgreSQL refuses it, 22021;
    /// an inline strategy can carry one in any name) or half of a surrogate pair (text that is no UTF-16, which neither
    /// database can hold as UTF-8: Npgsql's strict encoder throws) with U+FFFD in its place, on both databases alike.
    /// A value the database refuses for good would otherwise stay first in the outbox and hold every run after it.
    /// </summary>
    internal static object Stored(object? value) => value is string text ? Storable(text) : value ?? DBNull.Value;

    private static string Storable(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            text = text.Replace('\0', '\uFFFD');
        }

        // Most text has no surrogate at all, and is not looked at again.
        return text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 && !IsUtf16(text)
            ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text))
            : text;
    }

    private static bool IsUtf16(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var used) != OperationStatus.Done)
            {
                return false;
            }

            text = text[used..];
        }

        return true;
    }
}
