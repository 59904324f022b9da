namespace ProcessOptimizer.Api;

/// <summary>What schedules this replica's cycles.</summary>
/// <param name="Mode"><c>cluster</c> (Quartz.NET on the PostgreSQL database), <c>single-node</c> (this process's loop) or <c>off</c> (API mode).</param>
/// <param name="Status"><c>unhealthy</c> while the cluster scheduler cannot start (it is retried), else <c>healthy</c>.</param>
/// <param name="InstanceId">This replica's id in the cluster, also stored with every run it makes.</param>
public sealed record SchedulerHealth(string Mode, string Status, string InstanceId, string? Error);
