using ProcessOptimizer.Cycles;
using Quartz;

namespace ProcessOptimizer.Scheduling;

/// <summary>Registers what schedules the cycles: the Quartz cluster on PostgreSQL, or this process's own loop.</summary>
public static class SchedulingRegistration
{
    /// <summary>Adds the cycle schedule for the continuous and hybrid modes.</summary>
    /// <param name="postgresConnection">
    /// The service's PostgreSQL database, whose Quartz tables the cluster shares; null for SQLite. With the bounds of
    /// the service's own connections: Npgsql's defaults (a 15 s connect and a 30 s command timeout) would hold
    /// Quartz's calls on a hung server far longer than the service's.
    /// </param>
    public static IServiceCollection AddCycleSchedule(this IServiceCollection services, SchedulingSettings settings, string? postgresConnection, int strategies)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.IsClustered(postgresConnection is not null))
        {
            return services.AddHostedService<CycleLoop>();
        }

        // Every replica names the same scheduler, which is what makes them one cluster; the instance id tells them
        // apart. A named registration keeps its recipe, so a scheduler whose start failed can be built again.
        services.AddQuartz(ClusterSchedule.SchedulerName, q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceId = settings.EffectiveInstanceId;
                // One trigger per acquisition: otherwise one replica takes every due strategy and the others idle.
                o.MaxBatchSize = 1;
            });
            // The cluster agrees on wall-clock time through the database, whatever clock the cycles are given.
            q.UseTimeProvider(TimeProvider.System);
            q.UseDefaultThreadPool(Math.Max(1, strategies));
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(postgresConnection!);
                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(settings.CheckinIntervalSeconds);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(settings.CheckinThresholdSeconds);
                });
                // The tables are made by QuartzSchema before the scheduler is built (and again after a loss of the
                // schema), so there is one way they are made; Quartz only checks that they are there.
                store.ConfigureStore(o =>
                {
                    o.MisfireThreshold = TimeSpan.FromSeconds(settings.MisfireThresholdSeconds);
                    // A database back after a failure is used again within a check-in, not after Quartz's 15 s default.
                    o.DbRetryInterval = TimeSpan.FromSeconds(settings.CheckinIntervalSeconds);
                    // The check-in and misfire threads must not keep the process alive when a shutdown gives up on them.
                    o.UseBackgroundThreads = true;
                });
            });
        });
        services.AddSingleton(new QuartzSchema(postgresConnection!));
        services.AddSingleton<ClusterSchedule>();
        return services.AddHostedService(sp => sp.GetRequiredService<ClusterSchedule>());
    }
}
