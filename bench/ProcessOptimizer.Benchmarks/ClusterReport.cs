using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Cycles per second of one replica against three in a Quartz.NET cluster on one PostgreSQL, with 24 strategies
/// (Hock-Schittkowski 71, one solver worker per replica) due every second; then one of the three is killed with
/// SIGKILL and each strategy's longest gap around the kill is the failover time. Needs
/// <c>PROCESS_OPTIMIZER_TEST_POSTGRES</c>; the store is a local folder all replicas share.
/// </summary>
internal static class ClusterReport
{
    private const int Strategies = 24;

    public static async Task RunAsync(string serviceDll, int seconds)
    {
        if (Environment.GetEnvironmentVariable("PROCESS_OPTIMIZER_TEST_POSTGRES") is not { } admin)
        {
            Console.WriteLine("cluster: set PROCESS_OPTIMIZER_TEST_POSTGRES to a PostgreSQL server");
            return;
        }

        Console.WriteLine($"| replicas | strategies due per second | cycles per second | of which solved | cycles per replica |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var count in new[] { 1, 3 })
        {
            var database = "po_bench_cluster_" + Guid.NewGuid().ToString("n");
            var folder = Directory.CreateTempSubdirectory("po-bench-cluster-").FullName;
            var connection = await CreateAsync(admin, database, folder);
            var replicas = new List<Process>();
            using var feeding = new CancellationTokenSource();
            var feeder = FeedAsync(connection, feeding.Token);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    replicas.Add(Start(serviceDll, i, connection, folder));
                }

                await WaitForRunsAsync(connection, count);
                var from = DateTimeOffset.UtcNow;
                await Task.Delay(TimeSpan.FromSeconds(seconds));
                var runs = await RunsAsync(connection);
                var window = runs.Where(r => r.StartedAt >= from).ToList();
                var perReplica = string.Join(", ", window.GroupBy(r => r.Node).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Count()));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {count} | {Strategies} | {window.Count / (double)seconds:F1} | {window.Count(r => r.Outcome == "success") / (double)seconds:F1} | {perReplica} |"));
                if (count == 3)
                {
                    await FailoverAsync(connection, replicas[2]);
                }
            }
            finally
            {
                await feeding.CancelAsync();
                await feeder;
                foreach (var replica in replicas.Where(r => !r.HasExited))
                {
                    replica.Kill(entireProcessTree: true);
                    await replica.WaitForExitAsync();
                }

                NpgsqlConnection.ClearAllPools();
                await using var db = new NpgsqlConnection(admin);
                await db.OpenAsync();
                await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", db).ExecuteNonQueryAsync();
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    // Each strategy's longest gap between cycles around the kill, less its one-second interval.
    private static async Task FailoverAsync(string connection, Process victim)
    {
        var killed = DateTimeOffset.UtcNow;
        victim.Kill(entireProcessTree: true);
        await Task.Delay(TimeSpan.FromSeconds(25));
        var runs = await RunsAsync(connection);
        var gaps = runs.Where(r => r.StartedAt > killed.AddSeconds(-5)).GroupBy(r => r.Strategy).Select(g =>
        {
            var times = g.Select(r => r.StartedAt).Order().ToList();
            return times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).DefaultIfEmpty(25).Max() - 1;
        }).Order().ToList();
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Failover after SIGKILL of one of three replicas: each strategy's longest gap beyond its interval, median {gaps[gaps.Count / 2]:F1} s, max {gaps[^1]:F1} s, over {gaps.Count} strategies."));
    }

    private static async Task<string> CreateAsync(string admin, string database, string folder)
    {
        await using (var db = new NpgsqlConnection(admin))
        {
            await db.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {database}", db).ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        await using (var db = new NpgsqlConnection(connection))
        {
            await db.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE process_data (\"timestamp\" TIMESTAMPTZ PRIMARY KEY, x1 DOUBLE PRECISION, x2 DOUBLE PRECISION, x3 DOUBLE PRECISION, x4 DOUBLE PRECISION)", db).ExecuteNonQueryAsync();
        }

        var strategy = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "tests", "fixtures", "hock-schittkowski", "hs071.yaml"));
        Directory.CreateDirectory(Path.Combine(folder, "store", "configs"));
        for (var i = 0; i < Strategies; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "store", "configs", $"s{i}-1.0.0.yaml"), strategy);
            await File.WriteAllTextAsync(Path.Combine(folder, "store", $"s{i}.yaml"), $"s{i}.yaml: 1.0.0\n");
        }

        return connection;
    }

    private static Process Start(string serviceDll, int index, string connection, string folder) =>
        ServiceProcess.Start([
            // No one asks a replica over HTTP, so it takes any free port: a fixed one held by another run made it exit at the start.
            serviceDll, "run", "--App:Mode=continuous", "--Urls=http://127.0.0.1:0", $"--Scheduling:InstanceId=bench-{index}",
            "--Database:Kind=postgres", "--Database:ConnectionString=" + connection, "--Database:OutboxFolder=" + Path.Combine(folder, $"outbox-{index}"),
            "--Storage:LastGoodVersionFile=" + Path.Combine(folder, $"last-good-{index}.json"),
            "--Storage:LocalRoot=" + Path.Combine(folder, "store"), "--Solver:Workers=1", "--Demo:Replay=false", "--Logging:LogLevel:Default=Warning",
            .. Enumerable.Range(0, Strategies).SelectMany(i => new[] { $"--Strategies:{i}:Name=s{i}", $"--Strategies:{i}:DeployedVersionKey=s{i}.yaml", $"--Strategies:{i}:IntervalSeconds=1" }),
        ]);

    // Warm: every replica has run cycles for a few seconds.
    private static async Task WaitForRunsAsync(string connection, int replicas)
    {
        for (var i = 0; i < 600 && (await RunsAsync(connection)).Select(r => r.Node).Distinct().Count() < replicas; i++)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(10));
    }

    // The plant's feed: four rows a second, so every one-second cycle finds new data.
    private static async Task FeedAsync(string connection, CancellationToken cancellationToken)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync(CancellationToken.None);
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO process_data VALUES (now(), 1, 5, 5, 1) ON CONFLICT DO NOTHING", db);
            await insert.ExecuteNonQueryAsync(CancellationToken.None);
            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<IReadOnlyList<(string Strategy, string? Node, string Outcome, DateTimeOffset StartedAt)>> RunsAsync(string connection)
    {
        var runs = new List<(string, string?, string, DateTimeOffset)>();
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        try
        {
            await using var command = new NpgsqlCommand("SELECT strategy_name, node, outcome, started_at FROM optimization_runs", db);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                runs.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Not created yet.
        }

        return runs;
    }
}
