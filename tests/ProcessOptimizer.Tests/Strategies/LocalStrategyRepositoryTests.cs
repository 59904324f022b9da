using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Tests.Strategies;

public sealed class LocalStrategyRepositoryTests : StrategyRepositoryTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "po-local-store-" + Guid.NewGuid().ToString("n"));

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(new LocalFolderStore(_root));

    public override Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
