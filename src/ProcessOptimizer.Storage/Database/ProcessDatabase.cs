using System.Data.Common;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// The service's database: process data, runs and recommendations, in SQLite or PostgreSQL with one schema.
/// Opening it creates or migrates the schema idempotently; existing data is never dropped.
/// </summary>
public sealed class ProcessDatabase
{
    private const int SchemaVersion = 1;

    private ProcessDatabase(SqlDialect dialect, string description)
    {
        Dialect = dialect;
        Description = description;
    }

    public DatabaseKind Kind => Dialect.Kind;

    /// <summary>For messages and health: the kind and where it is, without credentials.</summary>
    public string Description { get; }

    internal SqlDialect Dialect { get; }

    public static ProcessDatabase Create(DatabaseKind kind, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return kind switch
        {
            DatabaseKind.Sqlite => new ProcessDatabase(new SqliteDialect(connectionString), $"sqlite {new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource}"),
            _ => CreatePostgres(connectionString),
        };
    }

    private static ProcessDatabase CreatePostgres(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return new ProcessDatabase(new PostgresDialect(connectionString), $"postgres {builder.Host}:{builder.Port}/{builder.Database}");
    }

    /// <summary>Creates missing tables and indexes. Safe to run from several processes at once.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await RunAsync("migrate the schema", async (connection, transaction) =>
        {
            await Dialect.LockSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var t = Dialect.TimestampType;
            string[] statements =
            [
                $"CREATE TABLE IF NOT EXISTS process_data (\"timestamp\" {t} PRIMARY KEY)",
                $"""
                CREATE TABLE IF NOT EXISTS optimization_runs (
                  {Dialect.IdentityColumn},
                  strategy_name TEXT NOT NULL,
                  strategy_version TEXT NOT NULL,
                  model_versions TEXT NOT NULL,
                  data_timestamp {t} NULL,
                  started_at {t} NOT NULL,
                  finished_at {t} NOT NULL,
                  duration_ms DOUBLE PRECISION NOT NULL,
                  outcome TEXT NOT NULL,
                  solver_status TEXT NULL,
                  iterations INTEGER NULL,
                  cost DOUBLE PRECISION NULL,
                  message TEXT NULL)
                """,
                "CREATE INDEX IF NOT EXISTS optimization_runs_strategy_data ON optimization_runs (strategy_name, data_timestamp)",
                "CREATE INDEX IF NOT EXISTS optimization_runs_started ON optimization_runs (started_at)",
                """
                CREATE TABLE IF NOT EXISTS optimization_recommendations (
                  run_id BIGINT NOT NULL REFERENCES optimization_runs (id) ON DELETE CASCADE,
                  variable TEXT NOT NULL,
                  current_value DOUBLE PRECISION NOT NULL,
                  recommended_value DOUBLE PRECISION NOT NULL,
                  delta DOUBLE PRECISION NOT NULL,
                  units TEXT NOT NULL,
                  PRIMARY KEY (run_id, variable))
                """,
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
            ];
            foreach (var sql in statements)
            {
                await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_version (version) SELECT {SchemaVersion} WHERE NOT EXISTS (SELECT 1 FROM schema_version)", cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction; failures become <see cref="DatabaseException"/> naming what was being done.</summary>
    internal async Task RunAsync(string what, Func<DbConnection, DbTransaction, Task> work, CancellationToken cancellationToken) =>
        await RunAsync<bool>(what, async (c, t) =>
        {
            await work(c, t).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    internal async Task<T> RunAsync<T>(string what, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = Dialect.CreateConnection();
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await Dialect.PrepareAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException && ex is not DatabaseException)
        {
            throw new DatabaseException($"{Description}: cannot {what}: {ex.Message}", Dialect.IsTransient(ex), ex);
        }
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
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
