using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// Issue 14 (fifth fault round): the single-node loop (SQLite) frozen with SIGSTOP across its slots ran the missed slot
/// at the wake, seconds late, although a cycle later than the misfire threshold is to be skipped, as the cluster
/// skips one (<see cref="LateSlotTests"/>). The late slot must be skipped, logged once and counted as
/// <c>skipped-late</c>, and the next slot run on time.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SingleNodeLateSlotTests : IDisposable
{
    private const double IntervalSeconds = 5;
    private const double MisfireSeconds = 1;

    // A cycle may begin this long after its slot on a loaded machine and still be on time (the service allows the
    // threshold; the rest is the time from the slot's timer to the run's start stamp).
    private static readonly TimeSpan OnTime = TimeSpan.FromSeconds(MisfireSeconds + 0.5);

    private readonly string _folder = Directory.CreateTempSubdirectory("po-single-late-").FullName;

    private string Database => Path.Combine(_folder, "runs.db");

    [Fact]
    public async Task Loop_PausedAcrossASlot_SkipsTheLateSlotOnceAndRunsTheNextOnTime()
    {
        await TestStrategies.UploadAsync(new LocalFolderStore(Path.Combine(_folder, "store")), "kiln.yaml", "tag0");
        await SqlitePlant.CreateAsync(Database, ("process_data", "tag0"));

        using var feeding = new CancellationTokenSource();
        var feeder = SqlitePlant.FeedAsync(Database, ["process_data"], feeding.Token);
        await using var service = ReplicaProcess.Start("single-late",
        [
            "--App:Mode=hybrid", "--Demo:Replay=false", "--Solver:Workers=0",
            "--Storage:LocalRoot=" + Path.Combine(_folder, "store"), "--Storage:LastGoodVersionFile=" + Path.Combine(_folder, "last-good.json"),
            "--Database:ConnectionString=Data Source=" + Database, "--Database:OutboxFolder=" + Path.Combine(_folder, "outbox"),
            "--Scheduling:MisfireThresholdSeconds=" + MisfireSeconds.ToString(CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ProcessOptimizer=Information",
            .. TestStrategies.Setting(0, "kiln", "kiln.yaml", (int)IntervalSeconds),
        ]);
        try
        {
            await FaultKit.WaitForAsync(async () => service.HasExited ? throw new InvalidOperationException(service.Output) : (await RunsAsync(service)).Count >= 2, TimeSpan.FromSeconds(120), "the loop's first cycles");

            // The loop's slots are its start plus multiples of the interval; its first cycle began at the start.
            var grid = (await RunsAsync(service))[0];
            var before = (await RunsAsync(service)).Count;
            await FaultKit.WaitForAsync(async () => (await RunsAsync(service)).Count > before, TimeSpan.FromSeconds(30), "a cycle to pause after");

            // Frozen while it waits for its next slot, and woken half an interval past a later slot: the wait for the
            // missed slot ends well past the threshold, at a time no slot of the grid is near.
            var frozenAt = DateTimeOffset.UtcNow;
            var phase = Phase(grid, frozenAt).TotalSeconds;
            var pause = TimeSpan.FromSeconds((2 * IntervalSeconds) + Mod((IntervalSeconds / 2) - phase, IntervalSeconds));
            var frozen = Signals.WithChildren(service.Pid);
            Signals.Pause(frozen);
            try
            {
                await Task.Delay(pause);
            }
            finally
            {
                Signals.Resume(frozen);
            }

            var woke = DateTimeOffset.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(2.5 * IntervalSeconds));
            var runs = await RunsAsync(service);
            var offGrid = runs.Where(r => Phase(grid, r.StartedAt) > OnTime).ToList();
            Assert.True(offGrid.Count == 0, $"cycles ran off their slots (the late slot was run, not skipped): {string.Join(", ", offGrid.Select(r => $"{r.StartedAt:HH:mm:ss.f} ({Phase(grid, r.StartedAt).TotalSeconds:F1} s past a slot)"))}; woke {woke:HH:mm:ss.f}{Environment.NewLine}{service.Output}");
            Assert.Contains(runs, r => r.StartedAt > woke && r.Outcome == "success");
            Assert.DoesNotContain(runs, r => r.Outcome == "error");

            // Logged once and counted once: one slot was late, the slots inside the pause were simply never waited for.
            Assert.Single(service.Output.Split('\n'), l => l.Contains("fired", StringComparison.Ordinal) && l.Contains("s late", StringComparison.Ordinal) && l.Contains("skipped", StringComparison.Ordinal));
            var metrics = await service.Client.GetStringAsync("/metrics");
            Assert.Contains(metrics.Split('\n'), l => l.StartsWith("process_optimizer_cycle_outcomes_total{", StringComparison.Ordinal) && l.Contains("outcome=\"skipped-late\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        }
        finally
        {
            await feeding.CancelAsync();
            await feeder;
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static double Mod(double value, double by) => ((value % by) + by) % by;

    // How far past the nearest slot of the grid (its first run's start, then every interval) an instant is; a cycle
    // stamped a hair before a slot (the first run's stamp came a little after the loop's start) is at a small negative.
    private static TimeSpan Phase(Run grid, DateTimeOffset at) => TimeSpan.FromSeconds(Mod((at - grid.StartedAt).TotalSeconds + 0.5, IntervalSeconds) - 0.5);

    private static async Task<IReadOnlyList<Run>> RunsAsync(ReplicaProcess service)
    {
        try
        {
            var runs = await service.Client.GetFromJsonAsync<JsonElement>("/strategies/kiln/runs?limit=1000");
            return [.. runs.EnumerateArray()
                .Select(r => new Run(r.GetProperty("started_at").GetDateTimeOffset(), r.GetProperty("outcome").GetString()!))
                .OrderBy(r => r.StartedAt)];
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return [];
        }
    }

    private sealed record Run(DateTimeOffset StartedAt, string Outcome);
}
