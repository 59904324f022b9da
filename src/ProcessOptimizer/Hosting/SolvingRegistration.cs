using Microsoft.Extensions.DependencyInjection.Extensions;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Hosting;

/// <summary>The solving layer: the one solver and the settings cycles run with, for the service and the command line alike.</summary>
public static class SolvingRegistration
{
    /// <param name="library">The solver's library; the one the imports bind unless given (a test's missing one).</param>
    public static IServiceCollection AddSolving(this IServiceCollection services, OptimizationSettings optimization, IpoptLibrary? library = null)
    {
        services.AddSingleton(optimization);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => library ?? new IpoptLibrary());
        services.AddSingleton<INonlinearSolver>(sp => new IpoptSolver(sp.GetRequiredService<IpoptLibrary>()));
        return services;
    }
}
