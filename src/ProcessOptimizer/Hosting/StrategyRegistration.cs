using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Hosting;

/// <summary>The strategies layer: each configured strategy's deployed versions, artifact cache and data table.</summary>
public static class StrategyRegistration
{
    public static IServiceCollection AddStrategies(this IServiceCollection services, IReadOnlyList<StrategySettings> strategies, StorageSettings storage)
    {
        services.AddSingleton(sp => new StrategyCatalog(strategies, [.. strategies.Where(s => s.Enabled).Select(s => Runtime(sp, s, storage))]));
        // The default strategy's parts, for what serves one strategy only (today's routes, the command line's tools).
        services.AddSingleton(sp => sp.GetRequiredService<StrategyCatalog>().Default.Repository);
        services.AddSingleton(sp => sp.GetRequiredService<StrategyCatalog>().Default.Data);
        return services;
    }

    // The default strategy keeps the configured file; another one a file of its own beside it, named after it.
    private static string LastGoodPath(string configured, StrategySettings strategy) =>
        strategy.Name == StrategyRepository.StrategyName ? configured : Path.ChangeExtension(configured, null) + "." + strategy.Name + Path.GetExtension(configured);

    // Each strategy has its own pointer, cache entries and data table; the store, database and solver are shared.
    private static StrategyRuntime Runtime(IServiceProvider services, StrategySettings strategy, StorageSettings storage)
    {
        var cache = new ArtifactCache(services.GetRequiredService<ILogger<ArtifactCache>>());
        var repository = new StrategyRepository(
            services.GetRequiredService<IObjectStore>(),
            storage.ForPointer(strategy.DeployedVersionKey),
            services.GetRequiredService<INonlinearSolver>(),
            cache,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<StrategyRepository>>(),
            new LastGoodVersionFile(LastGoodPath(storage.LastGoodVersionFile, strategy), services.GetRequiredService<ILogger<LastGoodVersionFile>>()),
            strategy.Name);
        return new StrategyRuntime(strategy, repository, cache, new SqlProcessDataSource(services.GetRequiredService<ProcessDatabase>(), strategy.DataTable));
    }
}
