using System.Net.Http.Json;
using System.Text.Json;
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
public sealed class LateSlotTests() : OneReplicaClusterTest("late")
{
    private const int IntervalSeconds = 3;
    private const double MisfireSeconds = 3;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(4 * IntervalSeconds);

    [Fact]
    public async Task Replica_PausedAcrossItsSlots_SkipsTheLateSlotRunsTheNextOnTimeAndDoesNotBlameTheDatabase()
    {
        await using var replica = Start("late-replica", IntervalSeconds, workers: 0);
        using var feeding = new CancellationTokenSource();
        var feeder = Database.FeedAsync(feeding.Token);
        try
        {
            await WaitForSuccessesAsync(replica, 2, "the replica's first cycles");
            await replica.Client.GetAsync("/health");

            // Frozen just after a slot, so that Quartz has taken the next one, and woken several slots later.
            var before = (await Database.RunsAsync("kiln")).Max(r => r.Id);
            var last = before;
            await FaultKit.WaitForAsync(async () => (await Database.RunsAsync("kiln")).Max(r => r.Id) > last, TimeSpan.FromSeconds(30), "a cycle to pause after");
            before = (await Database.RunsAsync("kiln")).Max(r => r.Id);
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
            var runs = await Database.RunsAsync("kiln");
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
}
