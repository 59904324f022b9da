using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Hosting;

/// <summary>The guards of the service's two dependencies, for health and metrics.</summary>
public sealed record DependencyGuards(DependencyGuard Store, DependencyGuard Database)
{
    public IEnumerable<DependencyGuard> All => [Store, Database];
}
