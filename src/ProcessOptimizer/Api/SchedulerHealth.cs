using ProcessOptimizer.Scheduling;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>What schedules this replica's cycles.</summary>
/// <param name="Mode"><c>cluster</c> (Quartz.NET on the PostgreSQL database), <c>single-node</c> (this process's loop) or <c>off</c> (API mode).</param>
/// <param name="Status"><c>unhealthy</c> while cycles do not run (the cluster scheduler cannot start, its schedule was lost, or a strategy has had no cycle for over two intervals), else <c>healthy</c>.</param>
/// <param name="InstanceId">This replica's id in the cluster, also stored with every run it makes.</param>
/// <param name="Error">Why cycles do not run, when they do not.</param>
public sealed record SchedulerHealth(string Mode, string Status, string InstanceId, string? Error)
{
    /// <summary>
    /// The schedule's state, and each strategy's cadence: a strategy whose last cycle (here, or in the cluster on any
    /// replica) began longer ago than two intervals and 10 s makes the scheduler unhealthy, whatever the reason.
    /// </summary>
    /// <param name="cluster">The cluster scheduler; null when this process runs its own loop or none.</param>
    public static SchedulerHealth Of(ClusterSchedule? cluster, bool runsLoop, ServiceInstance instance, StrategyCatalog strategies, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(strategies);
        var mode = cluster is not null ? "cluster" : runsLoop ? "single-node" : "off";
        var stopped = cluster is null ? null : cluster.IsRunning ? cluster.Error : cluster.Error ?? "the scheduler is not running";
        var quiet = strategies.All
            .Select(s => (s.Name, Interval: s.Settings.IntervalSeconds, Quiet: s.Health.Overdue(now, TimeSpan.FromSeconds(s.Settings.IntervalSeconds))))
            .Where(s => s.Quiet is not null)
            .Select(s => $"no cycle of strategy {s.Name} has begun for {s.Quiet!.Value.TotalSeconds:F0} s (every {s.Interval} s)");
        var reasons = (stopped is null ? quiet : quiet.Prepend(stopped)).ToList();
        return new SchedulerHealth(mode, reasons.Count == 0 ? "healthy" : "unhealthy", instance.Id, reasons.Count == 0 ? null : string.Join("; ", reasons));
    }
}
