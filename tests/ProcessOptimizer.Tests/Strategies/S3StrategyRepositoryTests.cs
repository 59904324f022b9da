using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>The same suite on S3 (an s3rver of the test's own), plus what only a network store can do: go away.</summary>
public sealed class S3StrategyRepositoryTests : StrategyRepositoryTests
{
    private readonly S3rverProcess _server = new();

    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        await _server.StartAsync();
        var store = new S3ObjectStore(new S3Settings { Endpoint = _server.Endpoint, Bucket = "process-optimization", AccessKey = "S3RVER", SecretKey = "S3RVER", TimeoutSeconds = 3, MaxRetries = 1 });
        await store.EnsureBucketAsync(CancellationToken.None);
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
        Later();
        var during = await Repository.CurrentAsync(CancellationToken.None);
        var degraded = Repository.Health;

        await _server.StartAsync();
        Later();
        var after = await Repository.CurrentAsync(CancellationToken.None);

        Assert.Same(live, during);
        Assert.False(degraded.IsReachable);
        Assert.Contains(_server.Endpoint, degraded.LastError);
        Assert.Same(live, after);
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
}
