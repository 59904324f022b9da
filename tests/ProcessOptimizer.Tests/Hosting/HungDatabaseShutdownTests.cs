using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Scheduling;
using Xunit.Abstractions;

namespace ProcessOptimizer.Tests.Hosting;

/// <summary>
/// Issue 14 (fifth and sixth fault rounds, 7a): SIGTERM to a replica of the cluster while its PostgreSQL hangs
/// (SIGSTOP), with answers in flight. The service took 7.4 s to exit, its Quartz scheduler waiting on the database;
/// answers whose runs waited on the database got no HTTP answer at all (the connection closed), and one still running
/// when the host's shutdown timeout ended was logged as an <see cref="ObjectDisposedException"/>. The exit must stay
/// within the host's shutdown timeout and the runtime's exit, every answer in flight must be given (503 with
/// Retry-After, or its run acknowledged), and nothing after the SIGTERM may be logged as a failure.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HungDatabaseShutdownTests(ITestOutputHelper output) : IDisposable
{
    // As in ServiceProcessShutdownTests: the host's shutdown timeout, which cuts every wait, and the runtime's exit.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProcessExit = TimeSpan.FromSeconds(1);

    private static readonly object Request = new { input_data = new Dictionary<string, double> { ["tag0"] = 30 } };

    private readonly string _folder = Directory.CreateTempSubdirectory("po-sigterm-hung-").FullName;

    [Fact]
    public async Task Sigterm_ClusterDatabaseHungAnswersInFlight_ExitsInTimeAnswersEachAndLogsNoFailure()
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
            // Calls to the database wait far longer than the shutdown: an answer waiting on it is bounded by the shutdown alone.
            "--Database:TimeoutSeconds=20",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ProcessOptimizer=Information", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            .. TestStrategies.Setting(0, "kiln", "kiln.yaml", 2),
        ]);
        try
        {
            await FaultKit.WaitForAsync(async () => replica.HasExited ? throw new InvalidOperationException(replica.Output) : await SuccessesAsync(cluster.Connection) >= 2, TimeSpan.FromSeconds(120), "the replica's first cycles");
            await feeding.CancelAsync();
            await feeder;
            NpgsqlConnection.ClearAllPools();
            using (var warm = await replica.Client.PostAsJsonAsync("/strategies/kiln/optimize", Request))
            {
                // The answers below solve at once and go on to store their runs.
                Assert.True(warm.IsSuccessStatusCode, await warm.Content.ReadAsStringAsync());
            }

            // The database hangs; answers are asked, and the service is told to stop while they and its scheduler wait on it.
            cluster.Pause();
            var pending = Enumerable.Range(0, 3).Select(_ => replica.Client.PostAsJsonAsync("/strategies/kiln/optimize", Request)).ToList();
            // Stopped before the probe finds the hang (about a second), while the answers wait on the database.
            await Task.Delay(TimeSpan.FromSeconds(0.6));
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
            foreach (var request in pending)
            {
                // Each answer was given: its run acknowledged (stored or in the outbox), or the shutdown's 503 with
                // when to come back; none left without one (a closed connection throws here).
                using var answer = await request;
                var body = await answer.Content.ReadAsStringAsync();
                Assert.True(answer.IsSuccessStatusCode || ((int)answer.StatusCode == 503 && answer.Headers.RetryAfter is not null), $"{(int)answer.StatusCode} {body}");
                output.WriteLine($"{(int)answer.StatusCode} {body[..Math.Min(body.Length, 100)]}{body[Math.Max(100, body.Length - 100)..]}");
            }
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
