using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Tests.Strategies;

public sealed class LocalStrategyRepositoryTests : StrategyRepositoryTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "po-local-store-" + Guid.NewGuid().ToString("n"));

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(new LocalFolderStore(_root));

    [Fact]
    public async Task PointerDeleted_WhileAVersionIsLive_TheLiveVersionServesAndHealthNamesTheMissingPointer()
    {
        Assert.Equal("1.0.0", (await Repository.CurrentAsync(CancellationToken.None)).Version);
        var pointer = Path.Combine(_root, "process-optimization-strategy-config.yaml");
        var text = await File.ReadAllTextAsync(pointer);

        File.Delete(pointer);
        Later();
        var during = await Repository.CurrentAsync(CancellationToken.None);
        Later();
        var again = await Repository.CurrentAsync(CancellationToken.None);

        Assert.Equal(("1.0.0", "1.0.0"), (during.Version, again.Version));
        Assert.Contains("there is no deployed-version file 'process-optimization-strategy-config.yaml'", Repository.Broken?.Reason, StringComparison.Ordinal);
        Assert.Single(Log.Messages, m => m.Contains("no deployed-version file", StringComparison.Ordinal));

        await File.WriteAllTextAsync(pointer, text);
        Later();
        Assert.Equal("1.0.0", (await Repository.CurrentAsync(CancellationToken.None)).Version);
        Assert.Null(Repository.Broken);
    }

    public override Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
