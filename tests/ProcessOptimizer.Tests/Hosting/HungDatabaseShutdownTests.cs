using System.Diagnostics;
using Npgsql;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Scheduling;
using Xunit.Abstractions;

namespace ProcessOptimizer.Tests.Hosting;

/// <summary>
/// Issue 14 (fifth fault round, 7a): SIGTERM to a replica of the cluster while its PostgreSQL hangs (SIGSTOP). The
/// service took 7.4 s to exit, its Quartz scheduler waiting on the database. The exit must stay within the host's
/// shutdown timeout and the runtime's exit, and nothing after the SIGTERM may be logged as a failure.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HungDatabaseShutdownTests(ITestOutputHelper output) : IDisposable
{
    // As in ServiceProcessShutdownTests: the host's shutdown timeout, which cuts every wait, and the runtime's exit.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProcessExit = TimeSpan.FromSeconds(1);

    private readonly string _folder = Directory.CreateTempSubdirectory("po-sigterm-hung-").FullName;

    [Fact]
    public async Task Sigterm_ClusterDatabaseHung_ExitsInTimeAndLogsNoFailure()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using (var db = new NpgsqlConnection(cluster.Connection))
        {
            await db.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE process_data (\"timestamp\" TIMESTAMPTZ PRIMARY KEY, tag0 DOUBLE PRECISION)", db).ExecuteNonQueryAsync();
        }

        await TestStrategies.UploadAsync(new LocalFolderStore(Path.Combine(_folder, "store")), "kiln.yaml", "tag0");
        using var feeding = new CancellationTokenSource();
        var feeder = FeedAsync(cluster.Connection, feeding.Token);
        await using var replica = ReplicaProcess.Start("sigterm-hung",
        [
            "--App:Mode=hybrid", "--Demo:Replay=false", "--Solver:Workers=0",
            "--Storage:LocalRoot=" + Path.Combine(_folder, "store"), "--Storage:LastGoodVersionFile=" + Path.Combine(_folder, "last-good.json"),
            "--Database:Kind=postgres", "--Database:ConnectionString=" + cluster.Connection, "--Database:OutboxFolder=" + Path.Combine(_folder, "outbox"),
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ProcessOptimizer=Information", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            .. TestStrategies.Setting(0, "kiln", "kiln.yaml", 2),
        ]);
        try
        {
            await FaultKit.WaitForAsync(async () => replica.HasExited ? throw new InvalidOperationException(replica.Output) : await SuccessesAsync(cluster.Connection) >= 2, TimeSpan.FromSeconds(120), "the replica's first cycles");
            await feeding.CancelAsync();
            await feeder;
            NpgsqlConnection.ClearAllPools();

            // The database hangs, and the service is told to stop while its scheduler waits on it.
            cluster.Pause();
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var before = replica.Output.Length;
            var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / Environment.ProcessorCount;
            var watch = Stopwatch.StartNew();
            Signals.Terminate([replica.Pid]);
            var exited = await replica.WaitForExitAsync(TimeSpan.FromSeconds(30));
            watch.Stop();
            output.WriteLine($"exit {watch.Elapsed.TotalSeconds:F2} s after SIGTERM (load {load:F1} per core)");

            Assert.True(exited, "the service did not exit within 30 s of SIGTERM" + Environment.NewLine + replica.Output);
            var limit = (ShutdownTimeout + ProcessExit) * Math.Max(1, load);
            var after = replica.Output[Math.Min(before, replica.Output.Length)..];
            Assert.True(watch.Elapsed < limit, $"the service took {watch.Elapsed.TotalSeconds:F2} s to exit, above {limit.TotalSeconds:F1} s (load {load:F1} per core){Environment.NewLine}{after}");
            var faults = after.Split('\n').Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).ToList();
            Assert.True(faults.Count == 0, after);
        }
        finally
        {
            cluster.Resume();
            await feeding.CancelAsync();
            await feeder;
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<int> SuccessesAsync(string connection)
    {
        try
        {
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync();
            return Convert.ToInt32(await new NpgsqlCommand("SELECT count(*) FROM optimization_runs WHERE strategy_name = 'kiln' AND outcome = 'success'", db).ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    // The plant's feed: one new row a second, stamped now.
    private static async Task FeedAsync(string connection, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await using (var db = new NpgsqlConnection(connection))
            {
                await db.OpenAsync(CancellationToken.None);
                await using var insert = new NpgsqlCommand("INSERT INTO process_data (\"timestamp\", tag0) VALUES (@at, 30) ON CONFLICT DO NOTHING", db);
                insert.Parameters.AddWithValue("at", DateTime.UtcNow);
                await insert.ExecuteNonQueryAsync(CancellationToken.None);
            }

            try
            {
                await Task.Delay(1000, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
