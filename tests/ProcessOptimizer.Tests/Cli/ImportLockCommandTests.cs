using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using ProcessOptimizer.Cli;
using ProcessOptimizer.Tests.Scheduling;

namespace ProcessOptimizer.Tests.Cli;

/// <summary>
/// <c>import-data</c> while a second real session holds a lock the import needs, as an operator's open psql or sqlite3
/// transaction does: the command gives up within about the database's timeout, exit code 1, with an error that names
/// the database, the step and the lock, and nothing of the file is imported. It waited for ever on PostgreSQL.
/// </summary>
public sealed class ImportLockCommandTests
{
    private const int TimeoutSeconds = 2;

    // What the bound allows beyond the timeout on a loaded machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(TimeoutSeconds + 5);

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ImportData_SqliteWriteLockHeldByAnotherConnection_FailsNamingTheLockAndImportsNothing()
    {
        using var files = new TempFiles();
        var file = Path.Combine(files.Root, "po.db");
        var database = $"--Database:ConnectionString=Data Source={file}";
        Assert.Equal(0, CliRunner.Run("import-data", "--csv", Csv(files, "first.csv", 10, sign: 1), database).ExitCode);

        await using var holder = new SqliteConnection($"Data Source={file};Pooling=False");
        await holder.OpenAsync();
        string said;
        using (var transaction = holder.BeginTransaction())
        {
            Execute(holder, transaction, "UPDATE process_data SET a = 1000 WHERE a = 5");
            (var code, said) = await RunAsync(Csv(files, "second.csv", 20, sign: -1), database);
            Assert.Equal(ExitCodes.Failed, code);
        }

        // The schema's check, which finds the schema whole, writes nothing and so waits for no writer: the import's
        // own transaction meets the lock, once. It met it at the check, a call retried twice: 8 s with a 2 s timeout.
        Assert.StartsWith("import-data: sqlite po.db: cannot import process data (beginning the transaction): another session holds a lock it needs", said, StringComparison.Ordinal);
        using var count = holder.CreateCommand();
        count.CommandText = "SELECT count(*) FROM process_data WHERE a < 0";
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ImportData_PostgresRowUpdatedByAnotherSession_FailsAtTheMergeNamingTheLockAndImportsNothing()
    {
        await using var scratch = await ScratchDatabase.CreateAsync("import_lock");
        using var files = new TempFiles();
        string[] database = ["--Database:Kind=postgres", $"--Database:ConnectionString={scratch.Connection}"];
        Assert.Equal(0, CliRunner.Run(["import-data", "--csv", Csv(files, "first.csv", 10, sign: 1), .. database]).ExitCode);

        await using var holder = new NpgsqlConnection(scratch.Connection);
        await holder.OpenAsync();
        string said;
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            await new NpgsqlCommand("UPDATE process_data SET a = 1000 WHERE a = 5", holder, transaction).ExecuteNonQueryAsync();
            (var code, said) = await RunAsync(Csv(files, "second.csv", 20, sign: -1), database);
            Assert.Equal(ExitCodes.Failed, code);
        }

        var where = new NpgsqlConnectionStringBuilder(scratch.Connection);
        Assert.StartsWith($"import-data: postgres {where.Host}:{where.Port}/{where.Database}: cannot import process data (writing the 20 rows sent into process_data): another session holds a lock it needs", said, StringComparison.Ordinal);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM process_data WHERE a < 0", holder);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    // The command on a thread of its own, with a short timeout, while the test's session keeps its transaction open.
    private static async Task<(int Code, string Error)> RunAsync(string csv, params string[] database)
    {
        var clock = Stopwatch.StartNew();
        var (code, _, error) = await Task.Run(() => CliRunner.Run(["import-data", "--csv", csv, $"--Database:TimeoutSeconds={TimeoutSeconds}", .. database])).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(clock.Elapsed < Bound, $"import-data gave up after {clock.Elapsed.TotalSeconds:F1} s, with a {TimeoutSeconds} s timeout: {error}");
        return (code, error);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Csv(TempFiles files, string name, int rows, int sign) =>
        files.Write(name, "timestamp,a,b\n" + string.Concat(Enumerable.Range(0, rows).Select(r => string.Create(CultureInfo.InvariantCulture, $"{Start.AddMinutes(r):O},{sign * r},{0.5 * r}\n"))));
}
