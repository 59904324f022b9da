using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// Issue 14: a replica (service and solver worker) frozen with SIGSTOP while its database calls are in flight,
/// and woken long after their timeout. The database answered them during the pause, and was up all along: the
/// pause of the service's own process is not a database failure. It must not store error runs, answer with runs
/// pending, or report the database down; the next slots run as usual, and nothing is stored twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicaPauseTests() : OneReplicaClusterTest("pause")
{
    // The calls must all be in flight, not yet timed out, when the replica freezes: the default timeout leaves room.
    private const int TimeoutSeconds = 5;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(3 * TimeoutSeconds);

    [Fact]
    public async Task Replica_FrozenWithDatabaseCallsInFlight_StoresNoErrorKeepsRunsAndGoesOn()
    {
        await using var replica = Start("paused-replica", 2, workers: 1, $"--Database:TimeoutSeconds={TimeoutSeconds}");
        await Database.AddRowAsync();
        await WaitForSuccessesAsync(replica, 1, "the replica's first cycle");
        var before = (await Database.RunsAsync()).Max(r => r.Id);

        // Every table the service reads and writes is locked by another session: the next cycle (its last run and
        // its data window) and two /optimize answers (storing their runs) wait on the database.
        await Database.AddRowAsync();
        var locker = new NpgsqlConnection(Database.Connection);
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
        await Database.AddRowAsync();
        await FaultKit.WaitForAsync(async () => (await Database.RunsAsync()).Any(r => r.Id > before && r.Outcome == "success" && r.StartedAt > woke), TimeSpan.FromSeconds(30), "a cycle after the pause");
        await Task.Delay(TimeSpan.FromSeconds(3 * 2));

        var runs = (await Database.RunsAsync()).Where(r => r.Id > before).ToList();
        var timeline = string.Join(", ", runs.Select(r => $"{r.StartedAt:mm:ss.f} {r.Outcome} {r.Message}"));
        Assert.True(runs.All(r => r.Outcome != "error"), $"error runs after a pause of the replica itself: {timeline}{Environment.NewLine}{replica.Output}");
        Assert.Equal(runs.Count, runs.Select(r => r.Key).Distinct().Count());
        var consumed = runs.Where(r => r.Strategy == "kiln" && r.Outcome == "success").Select(r => r.DataTimestamp).ToList();
        Assert.Equal(consumed.Count, consumed.Distinct().Count());
        var health = await replica.Client.GetFromJsonAsync<JsonElement>("/health");
        Assert.True(health.GetProperty("database").GetProperty("status").GetString() == "healthy", $"{health}");
        Assert.Equal(0, health.GetProperty("data").GetProperty("pending_runs").GetInt32());
    }

    // Other sessions waiting for the locks that this one holds.
    private static async Task<long> WaitingAsync(NpgsqlConnection locker)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()", locker);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
