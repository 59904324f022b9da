using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ProcessOptimizer.Cli;
using ProcessOptimizer.Tests.Cli;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// <c>import-data</c> into a PostgreSQL stopped with SIGSTOP part-way through the import: the import's length is not
/// capped by the call timeout, yet the stopped server ends it within that timeout, with an error naming the database
/// and the step. The import ran outside the database's guard: its COPY and merge had no timeout at all, and waited for
/// the server for ever.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class HungImportCommandTests
{
    private const int Rows = 500_000;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ImportData_PostgresStoppedWhileTheRowsAreCopied_FailsWithinTheCallTimeoutNamingTheDatabaseAndTheStep()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        using var files = new TempFiles();
        var csv = Path.Combine(files.Root, "long.csv");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var writer = new StreamWriter(csv))
        {
            await writer.WriteLineAsync("timestamp,a,b");
            for (var r = 0; r < Rows; r++)
            {
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{start.AddMinutes(r):O},{r},{0.5 * r}"));
            }
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var import = CommandDispatcher.RunAsync(["import-data", "--csv", csv, "--Database:Kind=postgres", $"--Database:ConnectionString={cluster.Connection}", $"--Database:TimeoutSeconds={CallTimeout.TotalSeconds}"], output, error);
        try
        {
            await FaultKit.WaitForAsync(() => CopyingAsync(cluster.Connection), TimeSpan.FromSeconds(60), "the import's COPY");
            cluster.Pause();
            var clock = Stopwatch.StartNew();
            var code = await import.WaitAsync(TimeSpan.FromSeconds(60));
            var took = clock.Elapsed;

            Assert.Equal(ExitCodes.Failed, code);
            Assert.True(took < CallTimeout + TimeSpan.FromSeconds(2), $"import-data ended {took.TotalSeconds:F1} s after the server was stopped, with a {CallTimeout.TotalSeconds:G} s call timeout: {error}");
            var said = error.ToString();
            Assert.StartsWith($"import-data: postgres 127.0.0.1:{cluster.Port}/postgres: cannot import process data (", said, StringComparison.Ordinal);
            Assert.True(said.Contains("(sending the rows", StringComparison.Ordinal) || said.Contains("(writing the", StringComparison.Ordinal), said);
        }
        finally
        {
            cluster.Resume();
        }

        // The stopped server's transaction was never committed: once it runs again, no row is there.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(cluster.Connection);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM process_data", connection);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    // Whether the import's COPY (or the merge after it) is running now, seen from a connection of the test's own.
    private static async Task<bool> CopyingAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND (query LIKE 'COPY import_rows%' OR query LIKE 'INSERT INTO process_data%')", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
