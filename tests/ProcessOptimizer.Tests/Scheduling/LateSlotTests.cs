using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// Issue 14: a replica of the cluster (here the only one) frozen with SIGSTOP across several of its slots. Quartz had
/// taken the next slot's trigger before the pause and fired it at SIGCONT, 11-49 s late, although a slot later than
/// the misfire threshold is to be skipped; health then said the database had not answered for the length of the
/// pause. A late slot must be skipped (and logged), the next slot run on time, and health must not blame the
/// database for the service's own pause.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LateSlotTests : IAsyncLifetime
{
    private const int IntervalSeconds = 3;
    private const double MisfireSeconds = 3;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(4 * IntervalSeconds);

    private readonly string _folder = Directory.CreateTempSubdirectory("po-late-").FullName;
    private ScratchDatabase? _database;
    private string _connection = "";

    public async Task InitializeAsync()
    {
        _database = await ScratchDatabase.CreateAsync("po_late");
        _connection = _database.Connection;
        await using var db = new NpgsqlConnection(_connection);
        await db.OpenAsync();
        await new NpgsqlCommand("CREATE TABLE process_data (\"timestamp\" TIMESTAMPTZ PRIMARY KEY, tag0 DOUBLE PRECISION)", db).ExecuteNonQueryAsync();
        await TestStrategies.UploadAsync(new LocalFolderStore(Path.Combine(_folder, "store")), "kiln.yaml", "tag0");
    }

    [Fact]
    public async Task Replica_PausedAcrossItsSlots_SkipsTheLateSlotRunsTheNextOnTimeAndDoesNotBlameTheDatabase()
    {
        await using var replica = ReplicaProcess.Start("late-replica",
        [
            "--App:Mode=hybrid", "--Demo:Replay=false", "--Solver:Workers=0",
            "--Storage:LocalRoot=" + Path.Combine(_folder, "store"), "--Storage:LastGoodVersionFile=" + Path.Combine(_folder, "last-good.json"),
            "--Database:Kind=postgres", "--Database:ConnectionString=" + _connection,
            "--Database:OutboxFolder=" + Path.Combine(_folder, "outbox"),
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ProcessOptimizer=Information",
            .. TestStrategies.Setting(0, "kiln", "kiln.yaml", IntervalSeconds),
        ]);
        using var feeding = new CancellationTokenSource();
        var feeder = FeedAsync(feeding.Token);
        try
        {
            await FaultKit.WaitForAsync(async () => replica.HasExited ? throw new InvalidOperationException(replica.Output) : (await RunsAsync()).Count(r => r.Outcome == "success") >= 2, TimeSpan.FromSeconds(120), "the replica's first cycles");
            await replica.Client.GetAsync("/health");

            // Frozen just after a slot, so that Quartz has taken the next one, and woken several slots later.
            var before = (await RunsAsync()).Max(r => r.Id);
            var last = before;
            await FaultKit.WaitForAsync(async () => (await RunsAsync()).Max(r => r.Id) > last, TimeSpan.FromSeconds(30), "a cycle to pause after");
            before = (await RunsAsync()).Max(r => r.Id);
            var frozen = Signals.WithChildren(replica.Pid);
            Signals.Pause(frozen);
            try
            {
                await Task.Delay(Pause);
            }
            finally
            {
                Signals.Resume(frozen);
            }

            // Health, right after the wake: the database was up all along.
            var said = new List<string>();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(2))
            {
                var health = await replica.Client.GetFromJsonAsync<JsonElement>("/health");
                said.Add($"{health.GetProperty("database").GetProperty("status").GetString()} {health.GetProperty("database").GetProperty("error")}");
                await Task.Delay(50);
            }

            Assert.True(said.All(s => s.StartsWith("healthy", StringComparison.Ordinal)), $"health blamed the database for the service's own pause: {string.Join(", ", said.Distinct())}");

            // Three more slots after the wake; then every run stored ran within the misfire threshold of its slot.
            await Task.Delay(TimeSpan.FromSeconds(3 * IntervalSeconds));
            var runs = await RunsAsync();
            var late = runs.Where(r => r.Slot is { } slot && r.StartedAt - slot > TimeSpan.FromSeconds(MisfireSeconds)).ToList();
            Assert.True(late.Count == 0, $"slots run late instead of skipped: {string.Join(", ", late.Select(r => $"{r.Slot:HH:mm:ss.f} ran at {r.StartedAt:HH:mm:ss.f}"))}{Environment.NewLine}{replica.Output}");
            Assert.Contains("skipped", replica.Output, StringComparison.Ordinal);
            Assert.Contains(runs, r => r.Id > before && r.Outcome == "success" && r.StartedAt > DateTimeOffset.UtcNow.AddSeconds(-2 * IntervalSeconds - 1));
            Assert.DoesNotContain(runs, r => r.Outcome == "error");
            Assert.Equal(runs.Count, runs.Select(r => r.Key).Distinct().Count());
        }
        finally
        {
            await feeding.CancelAsync();
            await feeder;
        }
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    // The plant's feed: one new row a second, stamped now.
    private async Task FeedAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            await using var db = new NpgsqlConnection(_connection);
            await db.OpenAsync(CancellationToken.None);
            await using var insert = new NpgsqlCommand("INSERT INTO process_data (\"timestamp\", tag0) VALUES (@at, 30) ON CONFLICT DO NOTHING", db);
            insert.Parameters.AddWithValue("at", DateTime.UtcNow);
            await insert.ExecuteNonQueryAsync(CancellationToken.None);
        }
        while (await Next(timer, cancellationToken));
    }

    private static async Task<bool> Next(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<SlotRun>> RunsAsync()
    {
        var runs = new List<SlotRun>();
        try
        {
            await using var db = new NpgsqlConnection(_connection);
            await db.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id, outcome, run_key, started_at FROM optimization_runs WHERE strategy_name = 'kiln' ORDER BY id", db);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var key = reader.IsDBNull(2) ? null : reader.GetString(2);
                runs.Add(new SlotRun(reader.GetInt64(0), reader.GetString(1), key, Slot(key), reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // The replica has not created the schema yet.
        }

        return runs;
    }

    // A cluster run's key is "strategy|slot|instant".
    private static DateTimeOffset? Slot(string? key) =>
        key?.Split('|') is [_, "slot", var at] ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) : null;

    private sealed record SlotRun(long Id, string Outcome, string? Key, DateTimeOffset? Slot, DateTimeOffset StartedAt);
}
