using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>
/// Deployed versions, switching, the version-aware cache and store faults, run against each store kind.
/// Versions: 1.0.0 is the kiln example; 2.0.0 the same with its model under another key; 3.0.0 is broken.
/// </summary>
public abstract class StrategyRepositoryTests : IAsyncLifetime
{
    private const string ModelFolder = "models/Burning_zone_temperature/";

    protected IObjectStore Store { get; set; } = null!;

    protected ListLogger<StrategyRepository> Log { get; } = new();

    protected ArtifactCache Cache { get; } = new(new ListLogger<ArtifactCache>());

    /// <summary>The repository re-checks the store at most once a second; tests move this clock past that.</summary>
    protected FakeTimeProvider Clock { get; } = new();

    protected StrategyRepository Repository { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        Repository = NewRepository();
        var root = Path.Combine(TestServers.Kiln, "store");
        foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            await using var content = File.OpenRead(file);
            var key = Path.GetRelativePath(root, file).Replace('\\', '/');
            await Store.PutAsync(key, content, CancellationToken.None);
            if (key.StartsWith(ModelFolder, StringComparison.Ordinal))
            {
                content.Position = 0;
                await Store.PutAsync(key.Replace(ModelFolder, "models/v2/", StringComparison.Ordinal), content, CancellationToken.None);
            }
        }

        var v1 = await Store.GetTextAsync(StoreLayout.ConfigKey("1.0.0"), CancellationToken.None);
        await Store.PutTextAsync(StoreLayout.ConfigKey("2.0.0"), v1.Replace(ModelFolder, "models/v2/", StringComparison.Ordinal), CancellationToken.None);
        await Store.PutTextAsync(StoreLayout.ConfigKey("3.0.0"), v1.Replace(ModelFolder, "models/missing/", StringComparison.Ordinal).Replace("class: Bounds", "class: Bonds", StringComparison.Ordinal), CancellationToken.None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IObjectStore> CreateStoreAsync();

    protected StrategyRepository NewRepository() =>
        new(Store, new StorageSettings(), new IpoptSolver(), Cache, Clock, Log);

    protected void Later() => Clock.Advance(TimeSpan.FromSeconds(2));

    [Fact]
    public async Task Store_PutGetStatList()
    {
        await Store.PutTextAsync("probe/a.txt", "alpha", CancellationToken.None);
        var first = await Store.StatAsync("probe/a.txt", CancellationToken.None);
        await Store.PutTextAsync("probe/a.txt", "beta", CancellationToken.None);
        var second = await Store.StatAsync("probe/a.txt", CancellationToken.None);
        await Store.PutTextAsync("probe/b.txt", "gamma", CancellationToken.None);
        var listed = new List<string>();
        await foreach (var item in Store.ListAsync("probe/", CancellationToken.None))
        {
            listed.Add(item.Key);
        }

        Assert.Equal("beta", await Store.GetTextAsync("probe/a.txt", CancellationToken.None));
        Assert.Equal(4, second!.Size);
        Assert.NotEqual(first!.ETag, second.ETag);
        Assert.Null(await Store.StatAsync("probe/none.txt", CancellationToken.None));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.GetTextAsync("probe/none.txt", CancellationToken.None));
        Assert.Equal(["probe/a.txt", "probe/b.txt"], listed);
    }

    [Fact]
    public async Task Recheck_SwitchMadeByAnotherReplica_IsSeenAtOnceWithoutWaitingForTheInterval()
    {
        // Issue 16: a cycle rechecks the pointer, so a switch made on another replica is followed by the next cycle.
        // The recheck mark once overflowed into "checked just now" and the switch went unseen.
        Assert.Equal("1.0.0", (await Repository.CurrentAsync(CancellationToken.None)).Version);
        await NewRepository().SwitchAsync("2.0.0", CancellationToken.None);

        Assert.Equal("1.0.0", (await Repository.CurrentAsync(CancellationToken.None)).Version);
        Repository.Recheck();
        Assert.Equal("2.0.0", (await Repository.CurrentAsync(CancellationToken.None)).Version);
    }

    [Fact]
    public async Task Switch_FromV1ToV2_InvalidatesAndUsesTheNewModels()
    {
        var v1 = await Repository.CurrentAsync(CancellationToken.None);
        var v2 = await Repository.SwitchAsync("2.0.0", CancellationToken.None);

        Assert.Equal("1.0.0", v1.Version);
        Assert.Equal("2.0.0", (await Repository.CurrentAsync(CancellationToken.None)).Version);
        Assert.All(v2.ModelVersions.Keys, key => Assert.StartsWith("models/v2/", key));
        Assert.Contains("Version changed from 1.0.0 to 2.0.0, invalidating cache", Log.Messages);
        Assert.Contains(Log.Messages, m => m.StartsWith("Cache invalidated due to version change. Cleared ", StringComparison.Ordinal));
        Assert.Equal("process-optimization-strategy-config.yaml: 2.0.0", (await Store.GetTextAsync("process-optimization-strategy-config.yaml", CancellationToken.None)).Trim());
        Assert.Equal(["1.0.0", "2.0.0", "3.0.0"], (await Repository.VersionsAsync(CancellationToken.None)).Order());
    }

    [Fact]
    public async Task Switch_ToBrokenV3_IsRefusedWithEveryProblemAndV2StaysLive()
    {
        await Repository.SwitchAsync("2.0.0", CancellationToken.None);

        var error = await Assert.ThrowsAsync<StrategyVersionException>(() => Repository.SwitchAsync("3.0.0", CancellationToken.None));

        Assert.Contains(error.Problems, p => p.Message.Contains("unknown skill class 'Bonds'", StringComparison.Ordinal));
        Later();
        Assert.Equal("2.0.0", (await Repository.CurrentAsync(CancellationToken.None)).Version);
        Assert.Contains("2.0.0", await Store.GetTextAsync("process-optimization-strategy-config.yaml", CancellationToken.None));
    }

    [Theory]
    [InlineData("random bytes", "cannot be read")]
    [InlineData("a directory", "is a directory")]
    [InlineData("a version that is gone", "4.0.0")]
    public async Task ColdStart_BrokenPointerAndUnusableLastGoodFile_LoadErrorNamesBothAndTheFileIsLoggedOnce(string damage, string why)
    {
        // Issue 14: a restart while the pointer names a broken version, and the last-good file that would have
        // saved it cannot serve. Health (the load error) must say why the fallback failed too, not a log line every round.
        var path = Path.Combine(Path.GetTempPath(), "po-last-good-" + Guid.NewGuid().ToString("n") + ".json");
        switch (damage)
        {
            case "random bytes":
                var bytes = new byte[256];
                new Random(14).NextBytes(bytes);
                await File.WriteAllBytesAsync(path, bytes);
                break;
            case "a directory":
                Directory.CreateDirectory(path);
                break;
            default:
                await File.WriteAllTextAsync(path, """{"Version":"4.0.0","LiveSince":"2026-01-01T00:00:00+00:00"}""");
                break;
        }

        var fileLog = new ListLogger<LastGoodVersionFile>();
        var repository = new StrategyRepository(Store, new StorageSettings(), new IpoptSolver(), Cache, Clock, Log, new LastGoodVersionFile(path, fileLog));
        await Store.PutTextAsync("process-optimization-strategy-config.yaml", "process-optimization-strategy-config.yaml: 3.0.0\n", CancellationToken.None);
        try
        {
            for (var round = 0; round < 3; round++)
            {
                await Assert.ThrowsAsync<StrategyVersionException>(() => repository.CurrentAsync(CancellationToken.None));
                Later();
            }

            var error = repository.LoadError!;
            Assert.Contains("strategy version 3.0.0 cannot be deployed", error, StringComparison.Ordinal);
            Assert.Contains("last good version", error, StringComparison.Ordinal);
            Assert.Contains(path, error, StringComparison.Ordinal);
            Assert.Contains(why, error, StringComparison.Ordinal);
            Assert.Single(fileLog.Messages, m => m.Contains(path, StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path);
            }

            File.Delete(path);
        }
    }

    [Fact]
    public async Task Switch_ToVersionWithMissingModel_IsRefused()
    {
        var v1 = await Store.GetTextAsync(StoreLayout.ConfigKey("1.0.0"), CancellationToken.None);
        await Store.PutTextAsync(StoreLayout.ConfigKey("4.0.0"), v1.Replace(ModelFolder, "models/missing/", StringComparison.Ordinal), CancellationToken.None);

        var error = await Assert.ThrowsAsync<StrategyVersionException>(() => Repository.SwitchAsync("4.0.0", CancellationToken.None));

        Assert.Contains(error.Problems, p => p.Message.Contains("'models/missing/Burning_zone_temperature_model.onnx' does not exist", StringComparison.Ordinal));
        Assert.Equal("1.0.0", (await Repository.CurrentAsync(CancellationToken.None)).Version);
    }

    [Fact]
    public async Task ArtifactReplacedUnderTheSameKey_IsReloaded()
    {
        var before = await Repository.CurrentAsync(CancellationToken.None);
        var key = ModelFolder + "Burning_zone_temperature_scalers.json";
        var scalers = await Store.GetTextAsync(key, CancellationToken.None);
        await Store.PutTextAsync(key, scalers.Replace("\"kind\": \"MinMaxScaler\",", "\"kind\": \"MinMaxScaler\", \"note\": 1,", StringComparison.Ordinal), CancellationToken.None);
        Later();

        var after = await Repository.CurrentAsync(CancellationToken.None);

        Assert.NotSame(before, after);
        Assert.NotEqual(before.ModelVersions[key], after.ModelVersions[key]);
        Assert.Equal(2, Cache.Stats().Single(s => s.Type == "model").Loads);
    }

    [Fact]
    public async Task SixteenParallelFirstRequests_LoadEachArtifactOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => NewRepository().CurrentAsync(CancellationToken.None))));

        Assert.Equal(16, results.Length);
        var stats = Cache.Stats().ToDictionary(s => s.Type);
        Assert.Equal(1, stats["model"].Loads);
        Assert.Equal(1, stats["strategy-text"].Loads);
        Assert.Equal(15, stats["model"].Hits);
    }
}
