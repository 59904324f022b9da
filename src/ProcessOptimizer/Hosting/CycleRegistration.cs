using ProcessOptimizer.Backtests;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Hosting;

/// <summary>The cycles layer: the one load, run and record path, the queue in front of the solver, its workers, and backtests on the same path.</summary>
public static class CycleRegistration
{
    public static IServiceCollection AddCycles(this IServiceCollection services, AppSettings app, SolverSettingsSection workers, OptimizationSettings optimization, BacktestSettings backtests)
    {
        services.AddSingleton<SolverHealth>();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<CycleExecutor>();
        // As many solves at once as there are workers; in-process, one (IPOPT is not thread-safe).
        services.AddSingleton(new SolveQueue(app.ApiMaxQueuedRequests, Math.Max(1, workers.Workers)));
        services.AddSingleton(workers);
        if (workers.Workers > 0)
        {
            services.AddSingleton<WorkerPool>();
            services.AddHostedService(sp => sp.GetRequiredService<WorkerPool>());
        }

        services.AddSingleton(sp => new CycleSolver(sp.GetRequiredService<INonlinearSolver>(), optimization, sp.GetRequiredService<TimeProvider>(), sp.GetService<WorkerPool>(), sp.GetRequiredService<IpoptLibrary>()));
        services.AddSingleton<BacktestEngine>();
        services.AddSingleton(backtests);
        services.AddSingleton<BacktestRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<BacktestRunner>());
        return services;
    }
}
