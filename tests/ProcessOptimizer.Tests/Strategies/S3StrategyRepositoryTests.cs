using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Storage.Tests;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>The same suite on S3 (an s3rver of the test's own), plus what only a network store can do: go away.</summary>
public sealed class S3StrategyRepositoryTests : StrategyRepositoryTests
{
    private readonly S3rverProcess _server = new();

    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        await _server.StartAsync();
        var store = new S3ObjectStore(new S3Settings { Endpoint = _server.Endpoint, Bucket = "process-optimization", AccessKey = "S3RVER", SecretKey = "S3RVER", TimeoutSeconds = 3, MaxRetries = 1 });
        await ServerStep.EnsureBucketAsync(store);
        return store;
    }

    public override Task DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ServerStoppedMidRun_ServesFromCacheDegraded_ThenRecovers()
    {
        var live = await Repository.CurrentAsync(CancellationToken.None);
        Assert.True(Repository.Health.IsReachable);

        _server.Stop();
        var during = await ServedUntilAsync(() => !Repository.Health.IsReachable, "the store's refusal");
        var degraded = Repository.Health;

        await _server.StartAsync();
        var after = await ServedUntilAsync(() => Repository.Health.IsReachable, "the restarted store's answer");

        Assert.All(during, d => Assert.Same(live, d));
        Assert.False(degraded.IsReachable);
        Assert.Contains(_server.Endpoint, degraded.LastError);
        Assert.All(after, a => Assert.Same(live, a));
        Assert.True(Repository.Health.IsReachable);
    }

    [Fact]
    public async Task ServerStopped_NothingCached_IsAClearErrorNamingKeyAndEndpoint()
    {
        _server.Stop();

        var error = await Assert.ThrowsAsync<StorageException>(() => NewRepository().CurrentAsync(CancellationToken.None));

        Assert.Contains("process-optimization-strategy-config.yaml", error.Message);
        Assert.Contains(_server.Endpoint, error.Message);
        Assert.True(error.IsTransient);
    }

    // With a version cached, a call waits for the store's check only PointerCheck.CachedPatience (0.5 s), serves the
    // cached version, and leaves the health as it was when the check has not ended by then: on a loaded machine the
    // refusal, or the restarted server's first answer, came later, and the one call the test made saw neither. So
    // the test asks again, the clock past the once-a-second check each time, until a call sees the check end.
    private async Task<IReadOnlyList<DeployedStrategy>> ServedUntilAsync(Func<bool> seen, string what)
    {
        var served = new List<DeployedStrategy>();
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); served.Count == 0 || !seen();)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"no call saw {what} within 30 s");
            Later();
            served.Add(await Repository.CurrentAsync(CancellationToken.None));
        }

        return served;
    }
}
