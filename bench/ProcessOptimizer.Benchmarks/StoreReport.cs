using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Storing runs like an <c>/optimize</c> answer on the kiln (30 recommendations, a key of its own, two message items),
/// one run a transaction through <see cref="SqlRunStore"/>, as the service stores them: CPU time of this process
/// and wall time per run, per chunk. SQLite on a fresh file; PostgreSQL on a fresh database of the server named by
/// <c>PROCESS_OPTIMIZER_TEST_POSTGRES</c> (its own CPU is not counted). Builds are compared by running this command
/// of each in turn, chunk by chunk.
/// </summary>
internal static class StoreReport
{
    public static async Task RunAsync(string kind, int runs, int chunks)
    {
        var dialect = kind == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite;
        var (connectionString, drop) = await CreateAsync(dialect);
        try
        {
            var database = ProcessDatabase.Create(dialect, connectionString);
            await database.MigrateAsync(CancellationToken.None);
            var store = new SqlRunStore(database);
            var next = 0;
            async Task<(double Cpu, double Wall)> Chunk(int count)
            {
                var cpu = ProcStat.CpuSeconds(Environment.ProcessId) ?? 0;
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < count; i++)
                {
                    await store.SaveAsync(Run(next++), CancellationToken.None);
                }

                return (1e3 * ((ProcStat.CpuSeconds(Environment.ProcessId) ?? 0) - cpu) / count, clock.Elapsed.TotalMilliseconds / count);
            }

            // The first chunk brings the code to its last tier and is not reported.
            await Chunk(Math.Max(2000, runs));
            for (var c = 0; c < chunks; c++)
            {
                var (cpu, wall) = await Chunk(runs);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind} chunk {c}: {runs} runs, CPU {cpu:F3} ms/run, wall {wall:F3} ms/run, load {ProcStat.LoadAverage()}"));
            }
        }
        finally
        {
            await drop();
        }
    }

    private static RunRecord Run(int i)
    {
        var started = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero).AddSeconds(i);
        return new RunRecord
        {
            Key = Guid.NewGuid().ToString("n"),
            Node = "bench-node",
            StrategyName = "kiln/api",
            StrategyVersion = "1.0.0",
            ModelVersions = new Dictionary<string, string> { ["models/kiln.onnx"] = "\"0f3c9a\"" },
            DataTimestamp = started.AddMinutes(-1),
            StartedAt = started,
            FinishedAt = started.AddMilliseconds(9.5),
            Outcome = RunOutcome.Success,
            SolverStatus = "Solve_Succeeded",
            Iterations = 10,
            Cost = -1234.5678901234567,
            Message = "most violated: o2_band (0); move limited: fuel_rate",
            MessageItems = ["most violated: o2_band (0)", "move limited: fuel_rate"],
            Recommendations = [.. Enumerable.Range(0, 30).Select(v => new Recommendation($"kiln_tag_{v:D2}", 100.0 / (v + 3), (100.0 / (v + 3)) + 0.1234567, 0.1234567, "t/h"))],
        };
    }

    private static async Task<(string ConnectionString, Func<Task> Drop)> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("po-store-").FullName;
            return ($"Data Source={folder}/po.db", () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
                return Task.CompletedTask;
            });
        }

        var server = Environment.GetEnvironmentVariable("PROCESS_OPTIMIZER_TEST_POSTGRES")
            ?? throw new InvalidOperationException("PROCESS_OPTIMIZER_TEST_POSTGRES names no PostgreSQL server");
        var name = "po_store_" + Guid.NewGuid().ToString("n");
        await Admin(server, $"CREATE DATABASE {name}");
        return (new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await Admin(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private static async Task Admin(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
