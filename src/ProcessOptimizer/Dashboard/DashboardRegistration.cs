namespace ProcessOptimizer.Dashboard;

/// <summary>Registers what the dashboard's endpoints read with.</summary>
public static class DashboardRegistration
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<Storage.Database.ProcessHistory>();
        services.AddSingleton<DashboardStrategies>();
        services.AddSingleton<StrategyVersions>();
        services.AddSingleton<StatusReader>();
        return services;
    }
}
