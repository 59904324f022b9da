using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// Issue 14: a replica (service and solver worker) frozen with SIGSTOP while its database calls are in flight,
/// and woken long after their timeout. The database answered them during the pause, and was up all along: the
/// pause of the service's own process is not a database failure. It must not store error runs, answer with runs
/// pending, or report the database down; the next slots run as usual, and nothing is stored twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicaPauseTests : IAsyncLifetime
{
    // The calls must all be in flight, not yet timed out, when the replica freezes: the default timeout leaves room.
    private const int TimeoutSeconds = 5;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(3 * TimeoutSeconds);

    private readonly string _folder = Directory.CreateTempSubdirectory("po-pause-").FullName;
    private ScratchDatabase? _database;
    private string _connection = "";

    public async Task InitializeAsync()
    {
        _database = await ScratchDatabase.CreateAsync("po_pause");
        _connection = _database.Connection;
        await using var db = new NpgsqlConnection(_connection);
        await db.OpenAsync();
        await new NpgsqlCommand("CREATE TABLE process_data (\"timestamp\" TIMESTAMPTZ PRIMARY KEY, tag0 DOUBLE PRECISION)", db).ExecuteNonQueryAsync();
        await TestStrategies.UploadAsync(new LocalFolderStore(Path.Combine(_folder, "store")), "kiln.yaml", "tag0");
    }

    [Fact]
    public async Task Replica_FrozenWithDatabaseCallsInFlight_StoresNoErrorKeepsRunsAndGoesOn()
    {
        await using var replica = ReplicaProcess.Start("paused-replica",
        [
            "--App:Mode=hybrid", "--Demo:Replay=false", "--Solver:Workers=1",
            "--Storage:LocalRoot=" + Path.Combine(_folder, "store"), "--Storage:LastGoodVersionFile=" + Path.Combine(_folder, "last-good.json"),
            "--Database:Kind=postgres", "--Database:ConnectionString=" + _connection, $"--Database:TimeoutSeconds={TimeoutSeconds}",
            "--Database:OutboxFolder=" + Path.Combine(_folder, "outbox"),
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ProcessOptimizer=Information",
            .. TestStrategies.Setting(0, "kiln", "kiln.yaml", 2),
        ]);
        await AddRowAsync();
        await FaultKit.WaitForAsync(async () => replica.HasExited ? throw new InvalidOperationException(replica.Output) : (await RunsAsync()).Any(r => r.Outcome == "success"), TimeSpan.FromSeconds(120), "the replica's first cycle");
        var before = (await RunsAsync()).Max(r => r.Id);

        // Every table the service reads and writes is locked by another session: the next cycle (its last run and
        // its data window) and two /optimize answers (storing their runs) wait on the database.
        await AddRowAsync();
        var locker = new NpgsqlConnection(_connection);
        await locker.OpenAsync();
        var hold = await locker.BeginTransactionAsync();
        await new NpgsqlCommand("LOCK TABLE process_data, optimization_runs IN ACCESS EXCLUSIVE MODE", locker, hold).ExecuteNonQueryAsync();
        var answers = Enumerable.Range(0, 2).Select(_ => replica.Client.PostAsJsonAsync("/optimize", new { input_data = new { tag0 = 40.0 } })).ToList();
        await FaultKit.WaitForAsync(async () => await WaitingAsync(locker) >= 3, TimeSpan.FromSeconds(30), $"a cycle and two answers waiting on the database{Environment.NewLine}{replica.Output}");

        // Frozen with those calls in flight; the database answers them at once, and the replica wakes long after
        // every call's timeout.
        var frozen = Signals.WithChildren(replica.Pid);
        Signals.Pause(frozen);
        DateTimeOffset woke;
        try
        {
            await hold.RollbackAsync();
            await locker.DisposeAsync();
            await Task.Delay(Pause);
        }
        finally
        {
            Signals.Resume(frozen);
            woke = DateTimeOffset.UtcNow;
        }

        foreach (var answer in answers)
        {
            var response = await answer;
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.IsSuccessStatusCode, $"/optimize answered {(int)response.StatusCode}: {body}");
            Assert.False(body.GetProperty("run_pending").GetBoolean(), $"the answer's run was not stored: {body}");
        }

        // The next slots, with new data, run as before.
        await AddRowAsync();
        await FaultKit.WaitForAsync(async () => (await RunsAsync()).Any(r => r.Id > before && r.Outcome == "success" && r.StartedAt > woke), TimeSpan.FromSeconds(30), "a cycle after the pause");
        await Task.Delay(TimeSpan.FromSeconds(3 * 2));

        var runs = (await RunsAsync()).Where(r => r.Id > before).ToList();
        var timeline = string.Join(", ", runs.Select(r => $"{r.StartedAt:mm:ss.f} {r.Outcome} {r.Message}"));
        Assert.True(runs.All(r => r.Outcome != "error"), $"error runs after a pause of the replica itself: {timeline}{Environment.NewLine}{replica.Output}");
        Assert.Equal(runs.Count, runs.Select(r => r.Key).Distinct().Count());
        var consumed = runs.Where(r => r.Strategy == "kiln" && r.Outcome == "success").Select(r => r.DataTimestamp).ToList();
        Assert.Equal(consumed.Count, consumed.Distinct().Count());
        var health = await replica.Client.GetFromJsonAsync<JsonElement>("/health");
        Assert.True(health.GetProperty("database").GetProperty("status").GetString() == "healthy", $"{health}");
        Assert.Equal(0, health.GetProperty("data").GetProperty("pending_runs").GetInt32());
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    // One new minute of plant data, stamped now, so that the next cycle has something to solve.
    private async Task AddRowAsync()
    {
        await using var db = new NpgsqlConnection(_connection);
        await db.OpenAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO process_data (\"timestamp\", tag0) VALUES (@at, 30) ON CONFLICT DO NOTHING", db);
        insert.Parameters.AddWithValue("at", DateTime.UtcNow);
        await insert.ExecuteNonQueryAsync();
    }

    // Other sessions waiting for the locks that this one holds.
    private static async Task<long> WaitingAsync(NpgsqlConnection locker)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()", locker);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<IReadOnlyList<PausedRun>> RunsAsync()
    {
        await using var db = new NpgsqlConnection(_connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, strategy_name, outcome, run_key, data_timestamp, started_at, message FROM optimization_runs ORDER BY id", db);
        var runs = new List<PausedRun>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                runs.Add(new PausedRun(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The replica has not created the schema yet.
        }

        return runs;
    }

    private sealed record PausedRun(long Id, string Strategy, string Outcome, string? Key, DateTimeOffset? DataTimestamp, DateTimeOffset StartedAt, string? Message);
}
