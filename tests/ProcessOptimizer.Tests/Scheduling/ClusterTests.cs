using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Storage.Tests;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// Issue 16: three replicas (real service processes) on one PostgreSQL and one S3 store run six strategies as a
/// Quartz.NET cluster. One replica is killed with SIGKILL in the middle of the run. Every strategy must keep its
/// cadence within its interval plus the documented failover time, no (strategy, data timestamp) may be stored
/// twice, every replica must have taken part before the kill, and a version switched on one replica must be used
/// by every replica from the next cycle on.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests : IAsyncLifetime
{
    // The README's failover time for the default check-in (2 s) and threshold (4 s): the dead replica is noticed
    // one check-in plus the threshold after its last check-in, recovered one check-in later, and its strategies
    // fire at their next slot (about 8 s); the rest is room for a machine as loaded as a shared CI runner.
    private const double FailoverSeconds = 15;
    private const string ApiKey = "cluster-key";

    private static readonly (string Name, int Interval)[] Strategies = [("kiln", 2), ("cooler", 3), ("raw-mill", 4), ("cement-mill-1", 5), ("cement-mill-2", 2), ("coal-mill", 3)];

    private readonly string _bucket = "po-cluster-" + Guid.NewGuid().ToString("n")[..12];
    private readonly string _outbox = Directory.CreateTempSubdirectory("po-cluster-").FullName;
    private readonly List<ReplicaProcess> _replicas = [];
    private PlantDatabase? _database;

    public async Task InitializeAsync()
    {
        _database = await PlantDatabase.CreateAsync("po_cluster", Strategies.Length);
        using var store = new S3ObjectStore(new S3Settings { Endpoint = TestServers.S3, Bucket = _bucket, AccessKey = "S3RVER", SecretKey = "S3RVER" });
        await ServerStep.EnsureBucketAsync(store);
        for (var i = 0; i < Strategies.Length; i++)
        {
            await TestStrategies.UploadAsync(store, Pointer(i), $"tag{i}");
        }
    }

    [Fact]
    public async Task Cluster_ReplicaKilledMidRun_EveryStrategyKeepsItsCadenceOnceEachAndFollowsAVersionSwitch()
    {
        using var feeding = new CancellationTokenSource();
        var feeder = _database!.FeedAsync(feeding.Token);
        for (var i = 0; i < 3; i++)
        {
            _replicas.Add(ReplicaProcess.Start($"replica-{i}", Settings()));
        }

        await Task.WhenAll(_replicas.Select(WaitForClusterAsync));

        // Every replica takes part (one trigger per acquisition spreads the six strategies over the three), and
        // every strategy has run: the cadence is measured from there, once strategies, models and workers are warm.
        // On a machine loaded many times over its cores, the slowest replica can lose the trigger lock to the
        // others for more than a minute before its first cycle, hence the long wait.
        try
        {
            await FaultKit.WaitForAsync(async () =>
            {
                var started = await _database!.RunsAsync();
                return started.Select(r => r.Node).Distinct().Count() == 3 && Strategies.All(s => started.Any(r => r.Strategy == s.Name && r.Outcome == "success"));
            }, TimeSpan.FromSeconds(180), "all three replicas running cycles of every strategy");
        }
        catch (TimeoutException ex)
        {
            var nodes = (await _database!.RunsAsync()).GroupBy(r => r.Node).Select(g => $"{g.Key}: {g.Count()}");
            throw new TimeoutException($"{ex.Message}; runs by replica: {string.Join(", ", nodes)}{Environment.NewLine}{Logs()}", ex);
        }

        var running = DateTimeOffset.UtcNow;

        // A version switch on one replica: every cycle of that strategy that starts after the answer uses it.
        var switched = await _replicas[0].Client.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/strategies/kiln/version")
        {
            Headers = { { "X-Api-Key", ApiKey } },
            Content = JsonContent.Create(new { version = "2.0.0" }),
        });
        Assert.True(switched.StatusCode == HttpStatusCode.OK, $"the switch answered {(int)switched.StatusCode}: {await switched.Content.ReadAsStringAsync()}");
        var switchedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(8));

        // SIGKILL one replica in the middle of the run; the others take over its strategies.
        var victim = _replicas[2];
        var killing = DateTimeOffset.UtcNow;
        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(25));
        var end = DateTimeOffset.UtcNow;
        await feeding.CancelAsync();
        await feeder;

        var runs = await _database!.RunsAsync();
        var log = Logs();

        // Every replica took part before the kill.
        Assert.Equal(["replica-0", "replica-1", "replica-2"], runs.Where(r => r.StartedAt < killing).Select(r => r.Node).Distinct().Order());
        Assert.DoesNotContain(runs, r => r.Node == victim.InstanceId && r.StartedAt > killedAt);

        // No (strategy, data timestamp) stored twice.
        var repeated = runs.Where(r => r.Consumed && r.DataTimestamp is not null).GroupBy(r => (r.Strategy, r.DataTimestamp)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Strategy} {g.Key.DataTimestamp:O} x{g.Count()}").ToList();
        Assert.True(repeated.Count == 0, "stored twice: " + string.Join(", ", repeated));

        // Every strategy keeps its cadence, before, during and after the failover, and keeps consuming new data.
        foreach (var (name, interval) in Strategies)
        {
            var times = runs.Where(r => r.Strategy == name && r.StartedAt >= running).Select(r => r.StartedAt).Order().Prepend(running).Append(end).ToList();
            var gaps = times.Zip(times.Skip(1), (a, b) => (From: a, Seconds: (b - a).TotalSeconds)).ToList();
            var worst = gaps.MaxBy(g => g.Seconds);
            var timeline = string.Join(", ", runs.Where(r => r.Strategy == name).Select(r => $"{r.StartedAt:mm:ss.f} {r.Node} {r.Outcome}"));
            Assert.True(worst.Seconds <= interval + FailoverSeconds, $"{name} (every {interval} s) had a gap of {worst.Seconds:F1} s from {worst.From:HH:mm:ss.fff} (switch at {switchedAt:HH:mm:ss.fff}, kill at {killedAt:HH:mm:ss.fff}): {timeline}{Environment.NewLine}{log}");
            Assert.Contains(runs, r => r.Strategy == name && r.Outcome == "success" && r.StartedAt > killedAt);
        }

        // The switch made on replica-0 is used by every cycle after it, on the replicas that ran them.
        var afterSwitch = runs.Where(r => r.Strategy == "kiln" && r.StartedAt > switchedAt).ToList();
        Assert.All(afterSwitch, r => Assert.Equal("2.0.0", r.Version));
        Assert.Contains(afterSwitch, r => r.Node != "replica-0");
        Assert.Contains(runs, r => r.Strategy == "kiln" && r.StartedAt < switchedAt && r.Version == "1.0.0");
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        Directory.Delete(_outbox, recursive: true);
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private string Logs() => string.Join(Environment.NewLine, _replicas.Select(r => $"--- {r.InstanceId}{Environment.NewLine}{r.Output}"));

    private static string Pointer(int index) => $"plant-a/{Strategies[index].Name}-strategy-config.yaml";

    private List<string> Settings()
    {
        List<string> settings =
        [
            "--App:Mode=hybrid", "--Api:Key=" + ApiKey, "--Demo:Replay=false", "--Solver:Workers=1",
            "--Storage:Kind=s3", "--Storage:S3:Endpoint=" + TestServers.S3, "--Storage:S3:Bucket=" + _bucket,
            "--Storage:S3:AccessKey=S3RVER", "--Storage:S3:SecretKey=S3RVER", "--Storage:S3:TimeoutSeconds=15",
            "--Database:Kind=postgres", "--Database:ConnectionString=" + _database!.Connection, "--Database:MaxPoolSize=4",
            "--Database:OutboxFolder=" + Path.Combine(_outbox, Guid.NewGuid().ToString("n")),
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ProcessOptimizer=Information",
        ];
        for (var i = 0; i < Strategies.Length; i++)
        {
            settings.AddRange(TestStrategies.Setting(i, Strategies[i].Name, Pointer(i), Strategies[i].Interval));
        }

        return settings;
    }

    private static async Task WaitForClusterAsync(ReplicaProcess replica)
    {
        await FaultKit.WaitForAsync(async () =>
        {
            if (replica.HasExited)
            {
                throw new InvalidOperationException($"{replica.InstanceId} exited:{Environment.NewLine}{replica.Output}");
            }

            try
            {
                var health = await replica.Client.GetFromJsonAsync<JsonElement>("/health");
                return health.GetProperty("scheduler").GetProperty("status").GetString() == "healthy";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or still too busy starting to answer.
                return false;
            }
        }, TimeSpan.FromSeconds(120), $"{replica.InstanceId} joining the cluster");
    }
}
