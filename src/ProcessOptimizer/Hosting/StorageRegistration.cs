using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Storage.Outbox;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Hosting;

/// <summary>The storage layer: the object store, the database, where runs go (the outbox when the database does not take them) and how long they stay.</summary>
public static class StorageRegistration
{
    public static IServiceCollection AddStorage(this IServiceCollection services, StorageSettings storage, DatabaseSettings database, RunRetentionSettings retention)
    {
        services.AddSingleton(storage);
        services.AddSingleton(_ => storage.CreateStore());
        services.AddSingleton<IObjectStore>(sp => sp.GetRequiredService<ResilientObjectStore>());
        services.AddSingleton(_ => database.Create());
        services.AddSingleton(sp => new DependencyGuards(sp.GetRequiredService<ResilientObjectStore>().Guard, sp.GetRequiredService<ProcessDatabase>().Guard));
        services.AddSingleton<IRunStore, SqlRunStore>();
        services.AddSingleton<IBacktestStore, SqlBacktestStore>();
        services.AddSingleton(sp => new RunOutbox(database.OutboxFolder, sp.GetRequiredService<TimeProvider>(), logger: sp.GetRequiredService<ILogger<RunOutbox>>()));
        services.AddSingleton<RunRecorder>();
        services.AddSingleton(retention);
        services.AddSingleton<RunPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<RunPruner>());
        services.AddSingleton<DependencyMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<DependencyMonitor>());
        return services;
    }
}
